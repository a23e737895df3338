using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Tests.Audit;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Redis.Webhooks;
using Suppression.Suppressions;
using Suppression.Webhooks;

namespace Suppression.Redis.Tests.Webhooks;

[Collection(RedisBackendsDefinition.Name)]
public sealed class WebhookStoreTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private static readonly DateTimeOffset Later = Now.AddDays(1);

    private static readonly WebhookSubscription Crm = new("crm", [], [], IncludeAddress: true);
    private static readonly WebhookSubscription Warehouse = new("warehouse", [], [], IncludeAddress: false);

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_audited_change_with_webhooks_on_leaves_exactly_one_pointer_and_marks_its_bucket_ready(string backend)
    {
        var (audit, _, _) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        var bucket = audit.Layout.Locate(jane).Bucket;

        Assert.True(await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None));
        Assert.False(await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None));

        // The repeat click is a record too, but changes nothing and so emits nothing.
        Assert.Equal(["c-" + bucket + "\t1"], (await audit.Database.ListRangeAsync(audit.Layout.OutboxKey(bucket))).Select(pointer => (string)pointer!));
        Assert.True(await audit.Database.SetContainsAsync(audit.Layout.OutboxReadyKey, bucket));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task With_webhooks_off_or_an_event_nobody_wants_the_script_writes_no_outbox(string backend)
    {
        var off = new AuditTrailScenario(backends[backend]);
        var onlyBounces = new AuditTrailScenario(backends[backend], new WebhookOutbox([new WebhookSubscription("bounces", [WebhookEventTypes.BounceHard], [], true)]));
        var jane = TestAddresses.Unique("jane");

        await off.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await onlyBounces.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);

        foreach (var audit in new[] { off, onlyBounces })
        {
            Assert.False(await audit.Database.KeyExistsAsync(audit.Layout.OutboxKey(audit.Layout.Locate(jane).Bucket)));
            Assert.False(await audit.Database.KeyExistsAsync(audit.Layout.OutboxReadyKey));
            Assert.Single(await audit.HistoryAsync(jane));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_change_whose_pointer_cannot_be_pushed_is_not_made_and_not_recorded(string backend)
    {
        var (audit, _, _) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        var bucket = audit.Layout.Locate(jane).Bucket;
        await audit.Database.StringSetAsync(audit.Layout.OutboxKey(bucket), "not a list");

        await Assert.ThrowsAnyAsync<Exception>(() => audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None));

        Assert.Empty((await audit.Store.GetEntriesAsync([jane], CancellationToken.None))[0]);
        Assert.Equal(0, await audit.Database.ListLengthAsync(audit.ChainsOf(jane).Changes));
        Assert.False(await audit.Database.HashExistsAsync(audit.ChainsOf(jane).Heads, "a"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Fan_out_run_twice_over_the_same_pointer_queues_one_entry_per_endpoint_with_its_own_payload(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm, Warehouse);
        var jane = TestAddresses.Unique("jane");
        var bucket = audit.Layout.Locate(jane).Bucket;
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);

        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));

        // A crash after queueing and before the trim: the same pointer again, its bucket ready again.
        await audit.Database.ListRightPushAsync(audit.Layout.OutboxKey(bucket), "c-" + bucket + "\t1");
        await audit.Database.SetAddAsync(audit.Layout.OutboxReadyKey, bucket);
        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));

        Assert.Equal(0, await audit.Database.ListLengthAsync(audit.Layout.OutboxKey(bucket)));
        var crm = Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        var warehouse = Assert.Single(await backlog.DueAsync("warehouse", Later, 10, CancellationToken.None));
        Assert.Equal((WebhookEventId.Of("c-" + bucket, 1), WebhookEventTypes.UnsubscribeReceived, Now, 0), (crm.EventId, crm.Type, crm.Time, crm.Attempts));
        Assert.Equal(crm.EventId, warehouse.EventId);
        Assert.Contains(jane.Value, crm.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(jane.Value, warehouse.Body, StringComparison.Ordinal);
        Assert.Equal(1, (await backlog.StateAsync("crm", CancellationToken.None)).Backlog);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_pointer_whose_ready_marker_was_lost_is_found_by_the_sweep(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        var bucket = audit.Layout.Locate(jane).Bucket;
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);

        // A crash between the script and the SADD.
        await audit.Database.SetRemoveAsync(audit.Layout.OutboxReadyKey, bucket);
        Assert.Equal(0, await fanOut.RunAsync(CancellationToken.None));

        Assert.Equal(1, await fanOut.SweepAsync(CancellationToken.None));
        Assert.Equal(1, await fanOut.RunAsync(CancellationToken.None));
        Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        Assert.Equal(0, await fanOut.SweepAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task One_instance_at_a_time_holds_an_endpoints_lease_and_may_renew_it(string backend)
    {
        var (_, _, backlog) = Scenario(backend, Crm);

        Assert.True(await backlog.TryHoldAsync("crm", "instance-a", TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.False(await backlog.TryHoldAsync("crm", "instance-b", TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await backlog.TryHoldAsync("crm", "instance-a", TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(await backlog.TryHoldAsync("warehouse", "instance-b", TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Retry_delivered_dead_letter_and_disable_show_in_the_endpoints_state(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        var john = TestAddresses.Unique("john");
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(john, Unsubscribe(), OneClick(Now.AddSeconds(1)), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        var due = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        Assert.Equal(2, due.Count);
        var (first, second) = (due[0], due[1]);
        Assert.Equal(Now, first.Time);

        await backlog.RetryAsync("crm", first.EventId, Later.AddHours(1), "503 Service Unavailable", CancellationToken.None);
        Assert.Equal([second.EventId], (await backlog.DueAsync("crm", Later, 10, CancellationToken.None)).Select(queued => queued.EventId));
        await backlog.DeliveredAsync("crm", [second.EventId], Later, CancellationToken.None);

        var afterDelivery = await backlog.StateAsync("crm", CancellationToken.None);
        Assert.Equal((false, Later, 0, 1L, Now, 0L), (afterDelivery.Disabled, afterDelivery.LastSuccess, afterDelivery.ConsecutiveFailures, afterDelivery.Backlog, afterDelivery.OldestUndelivered, afterDelivery.DeadLetters));
        var retried = Assert.Single(await backlog.DueAsync("crm", Later.AddHours(2), 10, CancellationToken.None));
        Assert.Equal(1, retried.Attempts);

        await backlog.DeadLetterAsync("crm", first.EventId, "timeout", CancellationToken.None);
        await backlog.DisableAsync("crm", "410 Gone", Later, CancellationToken.None);

        var state = await backlog.StateAsync("crm", CancellationToken.None);
        Assert.Equal((true, "410 Gone", 1, "timeout", 0L, (DateTimeOffset?)null, 1L), (state.Disabled, state.DisabledReason, state.ConsecutiveFailures, state.LastError, state.Backlog, state.OldestUndelivered, state.DeadLetters));
        var dead = (string)(await audit.Database.ListGetByIndexAsync(audit.Layout.WebhookKeys("crm").Dead, 0))!;
        Assert.Contains(first.EventId, dead, StringComparison.Ordinal);
        Assert.Empty(await backlog.DueAsync("crm", Later.AddDays(10), 10, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_bucket_with_more_pointers_than_one_pass_reads_is_fanned_out_whole_in_order(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        const int Changes = 300;
        for (var index = 0; index < Changes; index++)
        {
            var scope = SuppressionScope.ForTopic("acme", $"t{index}");
            await audit.Store.AddAsync(jane, Unsubscribe() with { Scope = scope }, OneClick(Now.AddMilliseconds(index)) with { Scope = scope }, CancellationToken.None);
        }

        Assert.Equal(Changes, await fanOut.RunAsync(CancellationToken.None));

        var queued = await backlog.DueAsync("crm", Later, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Changes).Select(index => $"topic:acme/t{index}"), queued.Select(webhook => ScopeOf(webhook.Body)));
        Assert.Equal(0, await audit.Database.ListLengthAsync(audit.Layout.OutboxKey(audit.Layout.Locate(jane).Bucket)));
        Assert.Equal(0, await fanOut.RunAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_queued_counter_counts_each_event_new_to_an_endpoints_backlog_once(string backend)
    {
        var endpoint = new WebhookSubscription($"count-{Guid.NewGuid():N}"[..20], [], [], IncludeAddress: false);
        var (audit, fanOut, _) = Scenario(backend, endpoint);
        long queued = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, meters) =>
        {
            if (instrument.Meter.Name == Suppression.Telemetry.Instrumentation.Name && instrument.Name == "suppression.webhooks.queued")
            {
                meters.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "suppression.webhook.endpoint" && Equals(tag.Value, endpoint.EndpointId))
                {
                    Interlocked.Add(ref queued, value);
                }
            }
        });
        listener.Start();
        await audit.Store.AddAsync(TestAddresses.Unique("jane"), Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(TestAddresses.Unique("john"), Unsubscribe(), OneClick(), CancellationToken.None);

        await fanOut.RunAsync(CancellationToken.None);
        Assert.Equal(2, await fanOut.ReplayAsync(endpoint.EndpointId, Now.AddMinutes(-1), Now.AddMinutes(1), CancellationToken.None));

        // The replay found both still queued: nothing new, so the counter stays at two.
        Assert.Equal(2, Interlocked.Read(ref queued));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Queueing_an_event_again_without_its_address_takes_the_address_out_never_puts_one_back(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        var jane = TestAddresses.Unique("jane");
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        var queued = Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        Assert.Contains(jane.Value, queued.Body, StringComparison.Ordinal);
        var withoutAddress = WebhookPayload.WithoutAddress(queued.Body);

        // What a fan-out re-run after a crash queues once an erasure blanked the record: the same id, no address.
        Assert.Equal(0, await backlog.EnqueueAsync("crm", [new QueuedBody(queued.EventId, queued.Time, withoutAddress)]));
        var redacted = Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        Assert.Equal(withoutAddress, redacted.Body);

        await backlog.EnqueueAsync("crm", [new QueuedBody(queued.EventId, queued.Time, queued.Body)]);
        Assert.Equal(withoutAddress, Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None)).Body);
    }

    private static string? ScopeOf(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("scope").GetString();

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task After_an_outage_resume_makes_every_deferred_event_due_oldest_first_and_a_batch_is_delivered_at_once(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        for (var index = 0; index < 5; index++)
        {
            await audit.Store.AddAsync(TestAddresses.Unique($"r{index}"), Unsubscribe(), OneClick(Now.AddSeconds(index)), CancellationToken.None);
        }

        await fanOut.RunAsync(CancellationToken.None);
        var queued = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        foreach (var webhook in queued)
        {
            await backlog.RetryAsync("crm", webhook.EventId, Later.AddMinutes(30), "ConnectionError: Connection refused", CancellationToken.None);
        }

        Assert.Empty(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        Assert.Equal(5, await backlog.ResumeAsync("crm", Later, CancellationToken.None));

        var resumed = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        Assert.Equal(queued.Select(webhook => webhook.EventId), resumed.Select(webhook => webhook.EventId));
        Assert.All(resumed, webhook => Assert.Equal(1, webhook.Attempts));
        Assert.Equal(0, await backlog.ResumeAsync("crm", Later, CancellationToken.None));

        await backlog.DeliveredAsync("crm", [.. resumed.Select(webhook => webhook.EventId)], Later, CancellationToken.None);
        var state = await backlog.StateAsync("crm", CancellationToken.None);
        Assert.Equal((0L, 0, (DateTimeOffset?)Later), (state.Backlog, state.ConsecutiveFailures, state.LastSuccess));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_erasure_leaves_no_clear_address_in_any_queued_payload(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm);
        var jane = AddressNormalizer.Normalize($"Jane.Doe+news-{Guid.NewGuid():N}@Example.org");
        var john = TestAddresses.Unique("john");
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(john, Unsubscribe(), OneClick(), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);

        await audit.Erasure.EraseAsync(jane, new AuditRecord(Now.AddSeconds(5), AuditEventType.Erased, "api-key:admin:1234"), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);

        var queued = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        Assert.Equal(
            [WebhookEventTypes.ErasureCompleted, WebhookEventTypes.UnsubscribeReceived, WebhookEventTypes.UnsubscribeReceived],
            queued.Select(webhook => webhook.Type).Order(StringComparer.Ordinal));
        Assert.All(queued, webhook => Assert.DoesNotContain(jane.Value, webhook.Body, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(queued, webhook => webhook.Body.Contains(john.Value, StringComparison.Ordinal));
        var hash = TestAudit.Key.AddressHash(jane);
        Assert.Equal(2, queued.Count(webhook => webhook.Body.Contains(hash, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_replay_queues_a_time_ranges_events_again_with_their_original_ids(string backend)
    {
        var (audit, fanOut, backlog) = Scenario(backend, Crm, Warehouse);
        var jane = TestAddresses.Unique("jane");
        var john = TestAddresses.Unique("john");
        await audit.Store.AddAsync(jane, Unsubscribe(), OneClick(), CancellationToken.None);
        await audit.Store.AddAsync(john, Unsubscribe(), OneClick(Now.AddMinutes(10)), CancellationToken.None);
        await fanOut.RunAsync(CancellationToken.None);
        var original = await backlog.DueAsync("crm", Later, 10, CancellationToken.None);
        foreach (var delivered in original)
        {
            await backlog.DeliveredAsync("crm", [delivered.EventId], Now, CancellationToken.None);
        }

        Assert.Equal(1, await fanOut.ReplayAsync("crm", Now, Now.AddMinutes(5), CancellationToken.None));

        var replayed = Assert.Single(await backlog.DueAsync("crm", Later, 10, CancellationToken.None));
        Assert.Equal(original.Single(queued => queued.Time == Now).EventId, replayed.EventId);
        Assert.Equal(2, (await backlog.StateAsync("warehouse", CancellationToken.None)).Backlog);
    }

    private (AuditTrailScenario Audit, WebhookFanOut FanOut, RedisWebhookBacklog Backlog) Scenario(string backend, params WebhookSubscription[] subscriptions)
    {
        var outbox = new WebhookOutbox(subscriptions);
        var audit = new AuditTrailScenario(backends[backend], outbox);
        var backlog = new RedisWebhookBacklog(audit.Connection, audit.Layout);
        return (audit, new WebhookFanOut(audit.Connection, audit.Layout, backlog, outbox), backlog);
    }

    private static SuppressionEntry Unsubscribe() =>
        new(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

    private static AuditRecord OneClick(DateTimeOffset? time = null) =>
        new(time ?? Now, AuditEventType.Suppressed, "token") { Scope = SuppressionScope.Global, Reason = SuppressionReason.Unsubscribe, Source = SuppressionSource.OneClick };
}
