using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Redis.Feedback;
using Suppression.Redis.Tests.Audit;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Redis.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Redis.Tests.Webhooks;

/// <summary>
/// Issue 20: a report held for review is a <c>feedback.review</c> event, written with the item in one
/// atomic step and fanned out per recipient; an erasure, before or after the fan-out, leaves no clear
/// address in any queued body.
/// </summary>
[Collection(RedisBackendsDefinition.Name)]
public sealed class FeedbackReviewWebhookTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private static readonly DateTimeOffset Later = Now.AddDays(1);

    private static readonly WebhookSubscription Crm = new("crm", [], [], IncludeAddress: true);
    private static readonly WebhookSubscription Warehouse = new("warehouse", [], [], IncludeAddress: false);

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_held_report_leaves_one_pointer_with_its_item_and_each_recipient_reaches_each_endpoint_once(string backend)
    {
        var (audit, review, fanOut, backlog) = Scenario(backend, Crm, Warehouse);
        var jane = TestAddresses.Unique("jane");
        var john = TestAddresses.Unique("john");
        var item = Held(jane, john);

        Assert.True(await review.EnqueueAsync(item, "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal([item.Id], (await audit.Database.ListRangeAsync(audit.Layout.FeedbackReviewOutboxKey)).Select(pointer => (string)pointer!));

        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));

        // A crash before the trim: the same pointer again queues nothing new.
        await audit.Database.ListRightPushAsync(audit.Layout.FeedbackReviewOutboxKey, item.Id);
        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));

        Assert.Equal(0, await audit.Database.ListLengthAsync(audit.Layout.FeedbackReviewOutboxKey));
        var crm = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        var warehouse = await backlog.DueAsync("warehouse", Later, 10, CancellationToken.None);
        Assert.Equal(2, crm.Count);
        Assert.All(crm.Concat(warehouse), queued => Assert.Equal((WebhookEventTypes.FeedbackReview, Now), (queued.Type, queued.Time)));
        Assert.Equal(
            new[] { WebhookEventId.OfReview(item.Id, TestAudit.Key.AddressHash(jane)), WebhookEventId.OfReview(item.Id, TestAudit.Key.AddressHash(john)) }.Order(),
            crm.Select(queued => queued.EventId).Order());
        Assert.Equal(crm.Select(queued => queued.EventId).Order(), warehouse.Select(queued => queued.EventId).Order());
        Assert.Contains(crm, queued => queued.Body.Contains(jane.Value, StringComparison.Ordinal) && queued.Body.Contains(item.Id, StringComparison.Ordinal));
        Assert.All(warehouse, queued => Assert.False(WebhookPayload.AddressOf(queued.Body).HasAddress));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task With_no_endpoint_wanting_feedback_review_a_held_report_writes_no_pointer(string backend)
    {
        var (audit, review, _, _) = Scenario(backend, new WebhookSubscription("bounces", [WebhookEventTypes.BounceHard], [], true));
        var item = Held(TestAddresses.Unique("jane"));

        Assert.True(await review.EnqueueAsync(item, "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None));

        Assert.False(await audit.Database.KeyExistsAsync(audit.Layout.FeedbackReviewOutboxKey));
        Assert.NotNull(await review.GetAsync(item.Id, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_report_whose_pointer_cannot_be_pushed_is_not_held(string backend)
    {
        var (audit, review, _, _) = Scenario(backend, Crm);
        await audit.Database.StringSetAsync(audit.Layout.FeedbackReviewOutboxKey, "not a list");
        var item = Held(TestAddresses.Unique("jane"));

        await Assert.ThrowsAnyAsync<Exception>(() => review.EnqueueAsync(item, "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None));

        Assert.Null(await review.GetAsync(item.Id, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_erasure_before_or_after_the_fan_out_leaves_no_clear_address_in_any_queued_body(string backend)
    {
        var (audit, review, fanOut, backlog) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        var john = TestAddresses.Unique("john");
        var early = TestAddresses.Unique("early");
        await review.EnqueueAsync(Held(jane, john), "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        await review.EnqueueAsync(Held(early, john), "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None);

        // After: jane's body is queued already. Before: early's item is not fanned out yet.
        await audit.Erasure.EraseAsync(jane, new AuditRecord(Now.AddSeconds(5), AuditEventType.Erased, "api-key:admin:1234"), CancellationToken.None);
        await audit.Erasure.EraseAsync(early, new AuditRecord(Now.AddSeconds(5), AuditEventType.Erased, "api-key:admin:1234"), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);

        var reviews = (await backlog.DueAsync("crm", Later, 10, CancellationToken.None)).Where(queued => queued.Type == WebhookEventTypes.FeedbackReview).ToList();
        Assert.All(reviews, queued => Assert.DoesNotContain(jane.Value, queued.Body, StringComparison.OrdinalIgnoreCase));
        Assert.All(reviews, queued => Assert.DoesNotContain(early.Value, queued.Body, StringComparison.OrdinalIgnoreCase));
        Assert.Single(reviews, queued => queued.Body.Contains(TestAudit.Key.AddressHash(jane), StringComparison.Ordinal));
        Assert.DoesNotContain(reviews, queued => queued.Body.Contains(TestAudit.Key.AddressHash(early), StringComparison.Ordinal));
        Assert.Equal(2, reviews.Count(queued => queued.Body.Contains(john.Value, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_report_decided_before_the_fan_out_needs_no_person_and_emits_nothing(string backend)
    {
        var (_, review, fanOut, backlog) = Scenario(backend, Crm);
        var item = Held(TestAddresses.Unique("jane"));
        await review.EnqueueAsync(item, "198.51.100.0/24", 100, TimeSpan.FromHours(1), CancellationToken.None);

        Assert.True(await review.RemoveAsync(item.Id, CancellationToken.None));
        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));

        Assert.Empty(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
    }

    private static FeedbackReviewItem Held(params NormalizedAddress[] recipients) => new(
        Guid.NewGuid().ToString("N")[..16], Now, "198.51.100.7", "dsn",
        [.. recipients.Select(recipient => new ReviewedRecipient(recipient.Value, "hard-bounce", "global", "hard-bounce", "dsn", "5.1.1", "550 5.1.1 user unknown", "not provable"))],
        "<report-1@mx.example>", "<offer-1@acme.example>");

    private (AuditTrailScenario Audit, RedisFeedbackReview Review, FeedbackReviewFanOut FanOut, RedisWebhookBacklog Backlog) Scenario(
        string backend, params WebhookSubscription[] subscriptions)
    {
        var outbox = new WebhookOutbox(subscriptions);
        var audit = new AuditTrailScenario(backends[backend], outbox);
        var backlog = new RedisWebhookBacklog(audit.Connection, audit.Layout);
        var review = new RedisFeedbackReview(audit.Connection, audit.Layout, audit.Writer, TimeProvider.System, TimeSpan.FromDays(30), outbox);
        return (audit, review, new FeedbackReviewFanOut(audit.Connection, audit.Layout, backlog, outbox, TestAudit.Key), backlog);
    }
}
