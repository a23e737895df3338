using System.Net;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>The relay path against a real MTA's SMTP server (Postfix smtp-sink) rather than our own sink.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class PostfixSinkTests
{
    [PostfixFact]
    public async Task Message_reaches_postfix_with_our_received_header_and_only_the_unsuppressed_recipient()
    {
        await using var postfix = await PostfixSmtpSink.StartAsync();
        await using var gateway = await GatewayInstance.StartAsync(null, postfix.Port);
        await gateway.WarmUpAsync();
        var subscriber = Mail.UniqueAddress("subscriber");
        var optedOut = Mail.UniqueAddress("opted-out");
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut })).StatusCode);
        var message = Mail.Create("news@sender.test", [subscriber, optedOut]);

        await Mail.SendAsync(gateway.SmtpPort, message);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(postfix.Dumps().Count > 0), TimeSpan.FromSeconds(10)), "smtp-sink dumped nothing");
        var dump = Assert.Single(postfix.Dumps());
        var lines = dump.Split('\n');
        Assert.Equal([$"X-Rcpt-Args: <{subscriber}>"], lines.Where(line => line.StartsWith("X-Rcpt-Args:", StringComparison.Ordinal)));
        Assert.StartsWith("X-Mail-Args: <news@sender.test>", Assert.Single(lines, line => line.StartsWith("X-Mail-Args:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"Message-Id: <{message.MessageId}>", dump, StringComparison.OrdinalIgnoreCase);

        // smtp-sink's own Received ends its headers (three lines); the message proper starts with ours.
        var messageStart = Array.FindIndex(lines, line => line.StartsWith("Received: from", StringComparison.Ordinal)) + 3;
        var ourReceived = Unfold(lines.Skip(messageStart).TakeWhile((line, index) => index == 0 || line.StartsWith('\t') || line.StartsWith(' ')));
        Assert.StartsWith("Received: from ", ourReceived, StringComparison.Ordinal);
        Assert.Contains(" by gateway.test with ESMTP id ", ourReceived, StringComparison.Ordinal);
        Assert.Contains("Hello,\n.this line starts with a dot\nBye\n", dump, StringComparison.Ordinal);
    }

    [PostfixFact]
    public async Task Postfix_refusing_the_final_dot_permanently_gives_the_client_5xx()
    {
        await using var postfix = await PostfixSmtpSink.StartAsync("-f", ".");
        await using var gateway = await GatewayInstance.StartAsync(null, postfix.Port);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("refused")])));

        Assert.InRange((int)error.StatusCode, 500, 599);
        Assert.Contains("Error: command failed", error.Message, StringComparison.Ordinal);
    }

    [PostfixFact]
    public async Task Postfix_deferring_the_final_dot_gives_the_client_451()
    {
        await using var postfix = await PostfixSmtpSink.StartAsync("-r", ".");
        await using var gateway = await GatewayInstance.StartAsync(null, postfix.Port, new Dictionary<string, string>
        {
            // The deferral is certain: retrying inside the gateway would only slow the test down.
            ["Suppression:Upstream:RetryAttempts"] = "0",
        });

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("deferred")])));

        Assert.Equal(451, (int)error.StatusCode);
    }

    private static string Unfold(IEnumerable<string> headerLines) => string.Join(" ", headerLines.Select(line => line.Trim()));
}
