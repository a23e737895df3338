using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Tests.Audit;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Redis.Webhooks;
using Suppression.Suppressions;
using Suppression.Webhooks;

namespace Suppression.Redis.Tests.Webhooks;

/// <summary>The operator's tools on an endpoint's backlog: enable after a 410, list and requeue dead letters.</summary>
[Collection(RedisBackendsDefinition.Name)]
public sealed class WebhookOperatorToolsTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private static readonly DateTimeOffset Later = Now.AddDays(1);

    private static readonly WebhookSubscription Crm = new("crm", [], [], IncludeAddress: true);

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Enable_clears_the_disabled_mark_and_the_failures_and_keeps_the_queued_event(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend);
        await audit.Store.AddAsync(TestAddresses.Unique("jane"), Unsubscribe(), OneClick(), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        var queued = Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        await backlog.RetryAsync("crm", queued.EventId, Now, "HTTP 500", CancellationToken.None);
        await backlog.DisableAsync("crm", "HTTP 410", Now, CancellationToken.None);

        Assert.True(await backlog.EnableAsync("crm", CancellationToken.None));

        var state = await backlog.StateAsync("crm", CancellationToken.None);
        Assert.Equal((false, (string?)null, 0, 1L), (state.Disabled, state.DisabledReason, state.ConsecutiveFailures, state.Backlog));
        Assert.Equal([queued.EventId], (await backlog.DueAsync("crm", Later, 10, CancellationToken.None)).Select(due => due.EventId));
        Assert.False(await backlog.EnableAsync("crm", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Dead_letters_are_listed_a_page_at_a_time_and_requeued_due_at_once_with_attempts_reset(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend);
        await audit.Store.AddAsync(TestAddresses.Unique("jane"), Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(TestAddresses.Unique("john"), Unsubscribe(), OneClick(Now.AddSeconds(1)), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        var queued = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        await backlog.RetryAsync("crm", queued[0].EventId, Now, "HTTP 500", CancellationToken.None);
        await backlog.DeadLetterAsync("crm", queued[0].EventId, "HTTP 502", CancellationToken.None);
        await backlog.DeadLetterAsync("crm", queued[1].EventId, "no answer within 15 s", CancellationToken.None);

        // Something that is not a dead letter (a hand edit, a later version's) is left where it is.
        await audit.Database.ListRightPushAsync(audit.Layout.WebhookKeys("crm").Dead, "not a dead letter");

        var first = Assert.Single(await backlog.DeadLettersAsync("crm", 1, CancellationToken.None));
        Assert.Equal((queued[0].EventId, WebhookEventTypes.UnsubscribeReceived, Now, "HTTP 502", 2), (first.EventId, first.Type, first.Time, first.Failure, first.Attempts));
        Assert.Equal(2, (await backlog.DeadLettersAsync("crm", 100, CancellationToken.None)).Count);
        Assert.Empty(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));

        Assert.Equal(2, await backlog.RequeueDeadLettersAsync("crm", CancellationToken.None));

        var requeued = await backlog.DueAsync("crm", Now.AddSeconds(1), 10, CancellationToken.None);
        Assert.Equal(queued.Select(webhook => (webhook.EventId, webhook.Body, 0)), requeued.Select(webhook => (webhook.EventId, webhook.Body, webhook.Attempts)));
        Assert.Equal((2L, 1L), ((await backlog.StateAsync("crm", CancellationToken.None)).Backlog, (await backlog.StateAsync("crm", CancellationToken.None)).DeadLetters));
        Assert.Equal(0, await backlog.RequeueDeadLettersAsync("crm", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_erasure_takes_the_address_out_of_dead_letters_so_a_requeue_cannot_send_it(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend);
        var jane = TestAddresses.Unique("jane");
        var john = TestAddresses.Unique("john");
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(john, Unsubscribe(), OneClick(Now.AddSeconds(1)), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        foreach (var webhook in await backlog.DueAsync("crm", Later, 10, CancellationToken.None))
        {
            await backlog.DeadLetterAsync("crm", webhook.EventId, "HTTP 500", CancellationToken.None);
        }

        await audit.Erasure.EraseAsync(jane, new AuditRecord(Now.AddSeconds(5), AuditEventType.Erased, "api-key:admin:1234"), CancellationToken.None);
        Assert.Equal(2, await backlog.RequeueDeadLettersAsync("crm", CancellationToken.None));

        var requeued = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        Assert.Equal(2, requeued.Count);
        Assert.All(requeued, webhook => Assert.DoesNotContain(jane.Value, webhook.Body, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(requeued, webhook => webhook.Body.Contains(john.Value, StringComparison.Ordinal));
        Assert.Contains(requeued, webhook => webhook.Body.Contains(TestAudit.Key.AddressHash(jane), StringComparison.Ordinal));
    }

    private (AuditTrailScenario Audit, WebhookFanOut FanOut, RedisWebhookBacklog Backlog) Scenario(string backend)
    {
        var outbox = new WebhookOutbox([Crm]);
        var audit = new AuditTrailScenario(backends[backend], outbox);
        var backlog = new RedisWebhookBacklog(audit.Connection, audit.Layout);
        return (audit, new WebhookFanOut(audit.Connection, audit.Layout, backlog, outbox), backlog);
    }

    private static SuppressionEntry Unsubscribe() =>
        new(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

    private static AuditRecord OneClick(DateTimeOffset? time = null) =>
        new(time ?? Now, AuditEventType.Suppressed, "token") { Scope = SuppressionScope.Global, Reason = SuppressionReason.Unsubscribe, Source = SuppressionSource.OneClick };
}
