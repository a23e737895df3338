using Suppression.Audit;
using Suppression.Suppressions;
using Suppression.Webhooks;

namespace Suppression.Core.Tests.Webhooks;

public class WebhookEventTypesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    public static TheoryData<AuditEventType, SuppressionReason?, SuppressionSource?, string?, string> Table => new()
    {
        { AuditEventType.Suppressed, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, null, WebhookEventTypes.UnsubscribeReceived },
        { AuditEventType.Suppressed, SuppressionReason.Unsubscribe, SuppressionSource.Page, null, WebhookEventTypes.UnsubscribeReceived },
        { AuditEventType.Suppressed, SuppressionReason.Unsubscribe, SuppressionSource.Mailto, null, WebhookEventTypes.UnsubscribeReceived },
        { AuditEventType.Suppressed, SuppressionReason.Unsubscribe, SuppressionSource.Preferences, "on the preference page", WebhookEventTypes.UnsubscribeReceived },
        { AuditEventType.Suppressed, SuppressionReason.Unsubscribe, SuppressionSource.Api, null, WebhookEventTypes.SuppressionCreated },
        { AuditEventType.Suppressed, SuppressionReason.Manual, SuppressionSource.Api, null, WebhookEventTypes.SuppressionCreated },
        { AuditEventType.Suppressed, SuppressionReason.HardBounce, SuppressionSource.Dsn, "550 5.1.1 user unknown", WebhookEventTypes.BounceHard },
        { AuditEventType.Suppressed, SuppressionReason.HardBounce, SuppressionSource.Relay, null, WebhookEventTypes.BounceHard },
        { AuditEventType.Suppressed, SuppressionReason.HardBounce, SuppressionSource.Dsn, "5 soft bounces within 7 days; last: 452 4.2.2 full", WebhookEventTypes.BounceSoft },
        { AuditEventType.Suppressed, SuppressionReason.Complaint, SuppressionSource.Arf, null, WebhookEventTypes.ComplaintReceived },
        { AuditEventType.Widened, SuppressionReason.Unsubscribe, SuppressionSource.Page, null, WebhookEventTypes.SuppressionWidened },
        { AuditEventType.Resubscribed, SuppressionReason.Unsubscribe, SuppressionSource.Page, "undo on the confirmation page", WebhookEventTypes.UnsubscribeUndone },
        { AuditEventType.Resubscribed, SuppressionReason.Unsubscribe, SuppressionSource.Preferences, "opted back in on the preference page", WebhookEventTypes.UnsubscribeUndone },
        { AuditEventType.Resubscribed, null, SuppressionSource.Api, "customer re-consented", WebhookEventTypes.SuppressionRemoved },
        { AuditEventType.Erased, SuppressionReason.Erasure, SuppressionSource.Api, null, WebhookEventTypes.ErasureCompleted },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_changing_record_maps_to_its_one_most_specific_type(AuditEventType type, SuppressionReason? reason, SuppressionSource? source, string? evidence, string expected)
    {
        var record = new AuditRecord(Now, type, "token") { Reason = reason, Source = source, Evidence = evidence, Changed = true };

        Assert.Equal(expected, WebhookEventTypes.Of(record));
        Assert.Equal(expected, WebhookEventTypes.Of(Stored(record)));
    }

    [Theory]
    [InlineData(AuditEventType.Suppressed)]
    [InlineData(AuditEventType.Widened)]
    [InlineData(AuditEventType.Resubscribed)]
    [InlineData(AuditEventType.Dismissed)]
    [InlineData(AuditEventType.Overridden)]
    [InlineData(AuditEventType.Imported)]
    public void A_record_that_changed_nothing_emits_nothing(AuditEventType type)
    {
        var repeatClick = new AuditRecord(Now, type, "token") { Reason = SuppressionReason.Unsubscribe, Source = SuppressionSource.OneClick, Changed = false };

        Assert.Null(WebhookEventTypes.Of(repeatClick));
    }

    [Fact]
    public void A_blocked_delivery_is_delivery_blocked_and_an_import_batch_or_override_nothing()
    {
        Assert.Equal(WebhookEventTypes.DeliveryBlocked, WebhookEventTypes.Of(new AuditRecord(Now, AuditEventType.Blocked, "smtp:192.0.2.1") { Changed = false }));
        Assert.Null(WebhookEventTypes.Of(new AuditRecord(Now, AuditEventType.Imported, "api-key:admin:1") { Changed = true }));
        Assert.Null(WebhookEventTypes.Of(new AuditRecord(Now, AuditEventType.Overridden, "relay") { Changed = true }));
    }

    private static AuditEntry Stored(AuditRecord record) => new("c-00abc", 7, "hash", record.Time, record.Type, record.Actor)
    {
        Reason = record.Reason?.Name(),
        Source = record.Source?.Name(),
        Evidence = record.Evidence,
        Changed = record.Changed,
    };
}
