using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Embedded;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>Fail closed: with the suppression list unreachable nothing is relayed unchecked, and mail flows again by itself.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task Recipients_are_deferred_while_redis_is_down_and_accepted_again_when_it_returns_without_a_restart()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("suppression-outage-").FullName;
        var port = FreePort.Next();
        var store = await EmbeddedRedisServer.StartAsync(storeDirectory, port, null, CancellationToken.None);
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(
            $"127.0.0.1:{port},password={store.Password},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000", sink.Port);
        var optedOut = Mail.UniqueAddress("opted-out");
        // The first write loads the audit script, which can outlast the 1 s client timeout on a
        // loaded machine (503, as for any slow Redis); it is asked again until it lands.
        Assert.True(await Eventually.TrueAsync(
            async () => (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut })).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30)), "the opt-out was not written");

        await store.DisposeAsync();
        await using (var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
        {
            await client.ReadReplyAsync();
            await client.CommandAsync("EHLO client.test");
            await client.CommandAsync("MAIL FROM:<a@sender.test>");
            Assert.StartsWith("451 4.3.0", await client.CommandAsync("RCPT TO:<subscriber@example.com>"));
            Assert.StartsWith("451 4.3.0", await client.CommandAsync($"RCPT TO:<{optedOut}>"));
            Assert.StartsWith("554 5.5.1", await client.CommandAsync("DATA"));
        }

        Assert.Empty(sink.Messages);

        // The API says the same thing in HTTP: try again shortly, not "internal error".
        var refused = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = Mail.UniqueAddress("during-outage") });
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
        Assert.Contains("temporarily unavailable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var restarted = await EmbeddedRedisServer.StartAsync(storeDirectory, port, null, CancellationToken.None);
        Assert.True(
            await Mail.EventuallyAcceptedAsync(gateway.SmtpPort, () => Mail.Create("a@sender.test", ["subscriber@example.com", optedOut]), TimeSpan.FromSeconds(30)),
            "mail did not flow again after Redis came back");

        // The opt-out written before the outage still holds after it.
        Assert.Equal(["subscriber@example.com"], Assert.Single(sink.Messages).Recipients);
    }
}
