using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;
using Suppression.Suppressions;
using Xunit.Abstractions;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// Issue 17, "done when": the signed return path with real MTAs on both hops. A tenant's message to
/// two recipients goes through the gateway to a real Postfix upstream; the recipients' mail server,
/// a second real Postfix, knows one of them and refuses the other at RCPT with its stock
/// "550 5.1.1 ... User unknown in local recipient table". Whether the upstream takes the copy and
/// bounces it later (a DSN to the tagged return path, routed back to the gateway) or refuses it
/// itself, exactly that recipient is suppressed, in the tenant's name.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class PostfixRoundTripTests(ITestOutputHelper output)
{
    private const string ReturnPathDomain = "rp.acme.test";
    private static readonly IPAddress TenantClient = IPAddress.Parse("127.0.0.3");
    private static readonly TimeSpan BounceArrives = TimeSpan.FromSeconds(30);

    [PrivatePostfixFact]
    public async Task A_copy_postfix_bounces_after_taking_it_comes_back_on_its_return_path_and_suppresses_that_recipient_only()
    {
        var clock = Stopwatch.StartNew();
        var (alive, gone) = (Mailbox("alive"), Mailbox("gone"));
        var (startedMailboxes, createdUpstream) = await CreatePostfixesAsync(alive);
        await using var mailboxes = startedMailboxes;
        await using var upstream = createdUpstream;
        await using var gateway = await StartGatewayAsync(upstream.Port!.Value);
        await PostfixSmartHost.StartAsync(upstream, new Dictionary<string, int>
        {
            [PostfixMailboxServer.Domain] = mailboxes.Port!.Value,
            [ReturnPathDomain] = gateway.SmtpPort,
        });
        var messageId = $"{Guid.NewGuid():N}@sender.test";

        // The upstream takes both copies; only its delivery to the mailboxes' server fails.
        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, messageId, alive, gone), StringComparison.Ordinal);

        var suppressed = await Eventually.TrueAsync(async () => await gateway.LookupStatusAsync(gone) == HttpStatusCode.OK, BounceArrives);
        output.WriteLine($"{gone} suppressed {clock.Elapsed.TotalSeconds:F1} s after the test began");
        Assert.True(suppressed, $"{gone} was not suppressed within {BounceArrives.TotalSeconds} s; the upstream's log:\n{upstream.Log}");
        Assert.True(
            await Eventually.TrueAsync(async () => await upstream.QueuedMessagesAsync() == 0, BounceArrives),
            $"the upstream's queue did not drain; its log:\n{upstream.Log}");
        Assert.Contains($"to=<{alive}>, relay=127.0.0.1[127.0.0.1]:{mailboxes.Port}", upstream.Log, StringComparison.Ordinal);
        Assert.Contains($"@{ReturnPathDomain}>, relay=127.0.0.1[127.0.0.1]:{gateway.SmtpPort}", upstream.Log, StringComparison.Ordinal);

        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(
            ("global", "hard-bounce", "dsn"),
            (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, gone));
        Assert.Equal(("dsn", "acme", messageId), (record.GetProperty("source").GetString(), record.GetProperty("tenant").GetString(), record.GetProperty("messageId").GetString()));
        var evidence = record.GetProperty("evidence").GetString()!;
        output.WriteLine(evidence);
        Assert.Contains("Action failed, Status 5.1.1", evidence, StringComparison.Ordinal);
        Assert.Contains($"550 5.1.1 <{AddressRedaction.Placeholder}>: Recipient address rejected: User unknown in local recipient table", evidence, StringComparison.Ordinal);
        Assert.Contains("received on the gateway's return path of ", evidence, StringComparison.Ordinal);
        Assert.Equal([gone], await ListedAsync(gateway));
    }

    [PrivatePostfixFact]
    public async Task A_copy_postfix_refuses_at_rcpt_suppresses_that_recipient_at_once()
    {
        var (alive, gone) = (Mailbox("alive"), Mailbox("gone"));
        await using var mailboxes = await PostfixMailboxServer.StartAsync([alive]);
        await using var gateway = await StartGatewayAsync(mailboxes.Port!.Value);
        var messageId = $"{Guid.NewGuid():N}@sender.test";

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, messageId, alive, gone), StringComparison.Ordinal);

        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(
            ("global", "hard-bounce", "relay"),
            (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, gone));
        Assert.Equal(("relay", "acme", messageId), (record.GetProperty("source").GetString(), record.GetProperty("tenant").GetString(), record.GetProperty("messageId").GetString()));
        Assert.Equal(
            $"upstream refused the copy: 550 5.1.1 <{AddressRedaction.Placeholder}>: Recipient address rejected: User unknown in local recipient table",
            record.GetProperty("evidence").GetString());
        Assert.Equal([gone], await ListedAsync(gateway));
    }

    // Side by side, as each "postfix check" takes a second or two; one that started is stopped if the other fails.
    private static async Task<(PrivatePostfix Mailboxes, PrivatePostfix Upstream)> CreatePostfixesAsync(string mailbox)
    {
        var mailboxes = PostfixMailboxServer.StartAsync([mailbox]);
        var upstream = PostfixSmartHost.CreateAsync();
        try
        {
            await Task.WhenAll(mailboxes, upstream);
        }
        catch
        {
            foreach (var created in new[] { mailboxes, upstream }.Where(task => task.IsCompletedSuccessfully))
            {
                await created.Result.DisposeAsync();
            }

            throw;
        }

        return (mailboxes.Result, upstream.Result);
    }

    // The whole list of this test's own gateway: the recipient that bounced, nobody else (not the one delivered to).
    private static async Task<List<string?>> ListedAsync(GatewayInstance gateway)
    {
        var listed = new List<string?>();
        await foreach (var suppression in gateway.Services.GetRequiredService<ISuppressionList>().ExportAsync(CancellationToken.None))
        {
            listed.Add(suppression.Address);
        }

        return listed;
    }

    private static string Mailbox(string name) => $"{name}-{Guid.NewGuid():N}@{PostfixMailboxServer.Domain}";

    // The tenant's clients are on 127.0.0.3; 127.0.0.1 (the Postfix instances) may relay, and is
    // accepted anyway for a return-path tag, as any client is.
    private static async Task<GatewayInstance> StartGatewayAsync(int upstreamPort) =>
        await GatewayInstance.StartAsync(null, upstreamPort, new Dictionary<string, string>
        {
            ["Suppression:Smtp:RelayNetworks:0"] = "127.0.0.1/32",
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:Networks:0"] = "127.0.0.3/32",
            ["Suppression:Tenants:0:ReturnPathDomain"] = ReturnPathDomain,
        });

    private static async Task<string?> SendAsync(GatewayInstance gateway, string messageId, params string[] recipients)
    {
        await using var client = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, TenantClient);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO app.acme.test"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@acme.test>"));
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        return await client.CommandAsync($"From: News <news@acme.test>\r\nTo: Readers <readers@acme.test>\r\nSubject: Spring sale\r\nMessage-ID: <{messageId}>\r\n\r\nBig discounts.\r\n.");
    }
}
