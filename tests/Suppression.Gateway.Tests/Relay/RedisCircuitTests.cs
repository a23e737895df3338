using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Embedded;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// A Redis that hangs rather than refuses: lookups time out, the circuit opens (visible on
/// /metrics), recipients are deferred throughout, and when Redis answers again the circuit closes
/// and mail flows without a restart.
/// </summary>
public sealed partial class RedisCircuitTests
{
    [Fact]
    public async Task A_hung_redis_opens_the_lookup_circuit_defers_every_recipient_and_mail_flows_again_when_it_answers()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("suppression-circuit-").FullName;
        var storePort = FreePort.Next();
        await using var store = await EmbeddedRedisServer.StartAsync(storeDirectory, storePort, null, CancellationToken.None);
        await using var proxy = new StallingTcpProxy(storePort);
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(
            // The client's own timeout is generous (a first script on a loaded machine can take
            // seconds); the pipeline's attempt timeout is what gives up on the hung Redis.
            $"127.0.0.1:{proxy.Port},password={store.Password},abortConnect=false,connectTimeout=1000,syncTimeout=5000,asyncTimeout=5000",
            sink.Port,
            new Dictionary<string, string>
            {
                ["Suppression:RedisResilience:LookupTimeout"] = "00:00:00.6",
                ["Suppression:RedisResilience:AttemptTimeout"] = "00:00:00.25",
                ["Suppression:RedisResilience:BreakDuration"] = "00:00:01",
                ["Suppression:RedisResilience:WriteTimeout"] = "00:00:01",
            });
        var optedOut = Mail.UniqueAddress("opted-out");
        // The first write loads the audit script, which can outlast the 1 s write budget on a loaded
        // machine (503, as for any slow Redis); it is asked again until it lands.
        Assert.True(await Eventually.TrueAsync(
            async () => (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut })).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30)), "the opt-out was not written");
        Assert.Equal(0, await CircuitStateAsync(gateway));

        proxy.Stall();
        await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO client.test");
            await client.CommandAsync("MAIL FROM:<a@sender.test>");

            // Each RCPT is two timed-out attempts; 20 failures within 10 s open the circuit.
            var opened = false;
            for (var i = 0; i < 30 && !opened; i++)
            {
                Assert.StartsWith("451 4.3.0", await client.CommandAsync(i % 2 == 0 ? "RCPT TO:<subscriber@example.com>" : $"RCPT TO:<{optedOut}>"));
                opened = await CircuitStateAsync(gateway) == 1;
            }

            Assert.True(opened, "the redis-lookup circuit did not open");

            // Open: still a deferral, never a delivery, and the session goes on.
            Assert.StartsWith("451 4.3.0", await client.CommandAsync($"RCPT TO:<{optedOut}>"));
            Assert.StartsWith("554 5.5.1", await client.CommandAsync("DATA"));
            Assert.StartsWith("250", await client.CommandAsync("RSET"));
        }

        // A write that runs out of its budget is "try again shortly" (503), not an internal error.
        using (var refused = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = Mail.UniqueAddress("while-hung") }))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        var metrics = await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches(PollyEvent("OnCircuitOpened", "redis-lookup"), metrics);
        Assert.Matches(PollyEvent("OnTimeout", "redis-lookup"), metrics);
        Assert.Empty(sink.Messages);

        proxy.Resume();
        Assert.True(
            await Mail.EventuallyAcceptedAsync(gateway.SmtpPort, () => Mail.Create("a@sender.test", ["subscriber@example.com", optedOut]), TimeSpan.FromSeconds(30)),
            "mail did not flow again after Redis answered");

        Assert.Equal(["subscriber@example.com"], Assert.Single(sink.Messages).Recipients);
        Assert.True(await Eventually.TrueAsync(async () => await CircuitStateAsync(gateway) == 0, TimeSpan.FromSeconds(10)), "the circuit did not close");
    }

    private static async Task<int> CircuitStateAsync(GatewayInstance gateway)
    {
        var metrics = await gateway.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var state = CircuitStateLine().Match(metrics);
        Assert.True(state.Success, "no suppression_circuit_state for redis-lookup on /metrics");
        return int.Parse(state.Groups["state"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Regex PollyEvent(string name, string pipeline) =>
        new($@"resilience_polly_strategy_events_total\{{[^}}]*event_name=""{name}""[^}}]*pipeline_name=""{pipeline}""[^}}]*\}} [1-9]");

    [GeneratedRegex(@"suppression_circuit_state\{[^}]*suppression_pipeline=""redis-lookup""[^}]*\} (?<state>\d+)")]
    private static partial Regex CircuitStateLine();
}
