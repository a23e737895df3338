using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;
using Xunit.Abstractions;

namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// Issue 6: every operation works through a Redis Cluster failover. The primary that holds an
/// opted-out address's bucket hands its slots to its replica (CLUSTER FAILOVER) under a running
/// gateway that keeps sending: mail may be deferred during the switch (fail closed), nothing
/// suppressed is ever relayed, and afterwards the same process, without a restart, enforces the old
/// opt-out, records and enforces a new one, and verifies the audit chains.
/// </summary>
[Collection(ClusterFailovers.Name)]
public sealed partial class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> OneClickBody = new() { ["List-Unsubscribe"] = "One-Click" };

    private readonly string _prefix = "failover-" + Guid.NewGuid().ToString("N")[..8] + ":";
    private readonly TestSmtpSink _sink = new();

    [ClusterFact]
    public async Task A_primary_failover_under_a_running_gateway_relays_nothing_suppressed_and_loses_no_opt_out()
    {
        var layout = new RedisKeyLayout(_prefix);
        await using var cluster = await ClusterUnderTest.ConnectAsync(Backends.FailoverRedis!);
        await using var gateway = await GatewayInstance.StartAsync(Backends.FailoverRedis, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:RedisKeyPrefix"] = _prefix,
        });
        await gateway.WarmUpAsync();

        var optedOut = Mail.UniqueAddress("opted-out");
        using (var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut, reason = "unsubscribe" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var bucketKey = layout.Locate(AddressNormalizer.Normalize(optedOut)).BucketKey;
        var shard = await cluster.ShardOfAsync(bucketKey);
        output.WriteLine($"opted-out address's bucket: slot {shard.Slot} on primary {shard.Primary}, replica {shard.Replica}");

        // The node about to hand over its slots is the one the gateway reads this address from.
        var gatewayConnection = (IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!;
        Assert.Equal(shard.Primary, gatewayConnection.GetServer(bucketKey).EndPoint);

        var flow = new MailFlow(gateway.SmtpPort, optedOut);
        using var stop = new CancellationTokenSource();
        var sending = flow.RunAsync(stop.Token);
        try
        {
            Assert.True(await flow.AcceptedSinceAsync(DateTime.UtcNow, 3, TimeSpan.FromSeconds(30)), "mail did not flow before the failover");
            var failoverStarted = DateTime.UtcNow;
            await cluster.FailOverToAsync(shard, shard.Replica);
            var rolesSwitched = DateTime.UtcNow;
            Assert.True(await flow.AcceptedSinceAsync(rolesSwitched, 3, TimeSpan.FromSeconds(30)), "mail did not flow again within 30 s of the failover, without a restart");
            await stop.CancelAsync();
            await sending;
            Report(flow.Attempts, failoverStarted, rolesSwitched);

            // Fail closed: refusals are temporary (the client retries), and no suppressed copy ever left.
            Assert.All(flow.Attempts, attempt => Assert.True(attempt.Refusal is null || attempt.Refusal.StartsWith('4'), $"not a 4xx: {attempt.Refusal}"));
            Assert.DoesNotContain(_sink.Messages, copy => copy.Recipients.Contains(optedOut, StringComparer.OrdinalIgnoreCase));

            // The 250 promise held through the switch: every accepted message reached the upstream.
            foreach (var accepted in flow.Attempts.Where(attempt => attempt.Refusal is null))
            {
                Assert.Equal([accepted.Subscriber], Assert.Single(_sink.Messages, copy => copy.Text.Contains(accepted.MessageId, StringComparison.Ordinal)).Recipients);
            }

            // (a) and (b): a subscriber whose bucket the new primary serves gets a message, unsubscribes
            // with its link, and the very next message to them is dropped; the old opt-out holds throughout.
            var leaving = await AddressServedByAsync(cluster, layout, shard.Replica);
            var staying = Mail.UniqueAddress("staying");
            var welcome = Mail.Create("news@sender.test", [optedOut, leaving]);
            await Mail.SendAsync(gateway.SmtpPort, welcome);
            var welcomed = Assert.Single(_sink.Messages, copy => copy.Text.Contains(welcome.MessageId!, StringComparison.Ordinal));
            Assert.Equal([leaving], welcomed.Recipients);
            using (var unsubscribed = await gateway.Http.PostAsync(LinkOf(welcomed), new FormUrlEncodedContent(OneClickBody)))
            {
                Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
            }

            var next = Mail.Create("news@sender.test", [optedOut, leaving, staying]);
            await Mail.SendAsync(gateway.SmtpPort, next);
            Assert.Equal([staying], _sink.Messages.Where(copy => copy.Text.Contains(next.MessageId!, StringComparison.Ordinal)).Select(copy => copy.Recipients.Single()));

            // (c) The chains verify, and the walk read every record this gateway wrote (its key prefix
            // is its own) from whichever node serves it now: as many as the addresses' histories hold.
            var verification = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
            output.WriteLine($"audit verify after the failover: {verification}");
            Assert.True(verification.GetProperty("ok").GetBoolean(), verification.ToString());
            var written = 0;
            foreach (var address in new[] { GatewayWarmUp.Address, optedOut, leaving })
            {
                written += (await Unsubscribe.AuditTrail.ForAsync(gateway, address)).Count + (await Unsubscribe.AuditTrail.ForAsync(gateway, address, blocked: true)).Count;
            }

            Assert.Equal(written, verification.GetProperty("records").GetInt64());
        }
        finally
        {
            // The flow's own failure, if any, was awaited above; here it only has to have stopped.
            await stop.CancelAsync();
            await Task.WhenAny(sending);

            // Leave the cluster as it was found, for the tests after this one: the old primary takes
            // its slots back (CLUSTER FAILOVER again, now sent to it).
            await cluster.RestoreAsync(shard);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    // A fresh address whose bucket's slot the given node serves as primary (one try in three on 3 primaries).
    private static async Task<string> AddressServedByAsync(ClusterUnderTest cluster, RedisKeyLayout layout, System.Net.EndPoint node)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var address = Mail.UniqueAddress("leaving");
            var slot = await cluster.SlotOfAsync(layout.Locate(AddressNormalizer.Normalize(address)).BucketKey);
            if (Equals(await cluster.PrimaryOfSlotAsync(slot), node))
            {
                return address;
            }
        }

        throw new InvalidOperationException($"no address in 100 maps to a slot served by {node}");
    }

    private static Uri LinkOf(ReceivedMessage copy)
    {
        var listUnsubscribe = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var match = LinkPattern().Match(listUnsubscribe);
        Assert.True(match.Success, listUnsubscribe);
        return new Uri(match.Groups["link"].Value);
    }

    // How the switch looked to a sending system, in the test's output (times relative to CLUSTER FAILOVER).
    private void Report(IReadOnlyList<MailAttempt> attempts, DateTime failoverStarted, DateTime rolesSwitched)
    {
        var refused = attempts.Where(attempt => attempt.Refusal is not null).ToList();
        output.WriteLine($"{attempts.Count} messages, {refused.Count} refused; failover took {(rolesSwitched - failoverStarted).TotalMilliseconds:F0} ms until every node agreed");
        foreach (var attempt in refused)
        {
            output.WriteLine($"  {(attempt.Started - failoverStarted).TotalMilliseconds:+0;-0} ms ({(attempt.Finished - attempt.Started).TotalMilliseconds:F0} ms): {attempt.Refusal}");
        }

        var slowest = attempts.Where(attempt => attempt.Refusal is null).MaxBy(attempt => attempt.Finished - attempt.Started);
        if (slowest is not null)
        {
            output.WriteLine($"slowest accepted message: {(slowest.Finished - slowest.Started).TotalMilliseconds:F0} ms, sent at {(slowest.Started - failoverStarted).TotalMilliseconds:+0;-0} ms");
        }
    }

    [GeneratedRegex(@"^<(?<link>http://127\.0\.0\.1:\d+/u/[A-Za-z0-9_-]+)>")]
    private static partial Regex LinkPattern();
}
