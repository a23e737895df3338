using System.Net;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// The gateway in front of a real Postfix with its default rewriting (allow_percent_hack,
/// swap_bangpath, resolve_dequoted_address), which relays everything it does not deliver locally to
/// a sink standing in for the recipients' mail servers.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class PostfixUpstreamTests
{
    [PrivatePostfixFact]
    public async Task Routed_addresses_that_postfix_delivers_to_an_opted_out_mailbox_are_refused_by_the_gateway()
    {
        await using var mailboxes = new TestSmtpSink();
        await using var postfix = await PostfixUpstream.StartAsync(mailboxes.Port);
        await using var gateway = await GatewayInstance.StartAsync(null, postfix.Port);
        var name = $"frank-{Guid.NewGuid():N}";
        var frank = $"{name}@example.org";
        var subscriber = $"bob-{Guid.NewGuid():N}@example.org";
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = frank })).StatusCode);
        string[] routed =
        [
            $"{name}%example.org@localhost",
            $"example.org!{name}@localhost",
            $"{name}%example.org@[127.0.0.1]",
            $"\"{frank}\"@localhost",
        ];

        await using (var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test"))
        {
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
            foreach (var address in routed)
            {
                Assert.StartsWith("553 5.1.3", await client.CommandAsync($"RCPT TO:<{address}>"));
            }

            Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{subscriber}>"));
            Assert.StartsWith("354", await client.CommandAsync("DATA"));
            Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: through the gateway\r\n\r\nHello\r\n."));
        }

        // The same addresses given to Postfix directly, one transaction each: every one is frank's.
        await using (var client = await RawSmtpClient.GreetedAsync(postfix.Port!.Value, "tenant.test"))
        {
            for (var i = 0; i < routed.Length; i++)
            {
                Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
                Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{routed[i]}>"));
                Assert.StartsWith("354", await client.CommandAsync("DATA"));
                Assert.StartsWith("250", await client.CommandAsync($"Subject: direct {i}\r\n\r\nHello\r\n."));
            }
        }

        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(mailboxes.Messages.Count == routed.Length + 1), TimeSpan.FromSeconds(30)),
            $"the sink got {mailboxes.Messages.Count} of {routed.Length + 1} messages; Postfix's log:\n{postfix.Log}");
        var viaGateway = Assert.Single(mailboxes.Messages, message => message.Text.Contains("Subject: through the gateway", StringComparison.Ordinal));
        Assert.Equal([subscriber], viaGateway.Recipients);
        for (var i = 0; i < routed.Length; i++)
        {
            var direct = Assert.Single(mailboxes.Messages, message => message.Text.Contains($"Subject: direct {i}\r\n", StringComparison.Ordinal));
            Assert.Equal([frank], direct.Recipients);
        }
    }
}
