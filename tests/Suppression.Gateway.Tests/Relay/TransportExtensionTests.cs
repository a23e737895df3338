using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 18: the client's BODY=8BITMIME (RFC 6152) and SMTPUTF8 (RFC 6531) reach the upstream with
/// the copy, and a copy that needs an extension the upstream does not offer is refused with the
/// RFC's code, never sent altered or unannounced. Each test has its own sink and gateway: what the
/// upstream offers is read once per pooled connection.
/// </summary>
public sealed class TransportExtensionTests
{
    private const string EightBitMessage =
        "From: News <news@sender.test>\r\nTo: <RECIPIENT>\r\nSubject: Gr\u00fc\u00dfe\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus dem Gateway.\r\n";

    [Fact]
    public async Task Both_extensions_reach_an_upstream_that_offers_them_with_the_bytes_intact()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port);
        var recipient = Mail.UniqueAddress("reader");

        var (reply, _) = await SendAsync(gateway, recipient, "BODY=8BITMIME SMTPUTF8");

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        var copy = Assert.Single(sink.Messages);
        Assert.Contains("BODY=8BITMIME", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SMTPUTF8", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\nGr\u00fc\u00dfe aus dem Gateway.\r\n", copy.Text, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: Gr\u00fc\u00dfe\r\n", copy.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_the_client_sent_without_extensions_goes_without_them()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port);

        var (reply, _) = await SendAsync(gateway, Mail.UniqueAddress("reader"), string.Empty);

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        var copy = Assert.Single(sink.Messages);
        Assert.DoesNotContain("BODY=", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SMTPUTF8", copy.MailParameters, StringComparison.OrdinalIgnoreCase);

        // Relayed as the client sent it: 8-bit octets unannounced are the client's to answer for.
        Assert.EndsWith("Gr\u00fc\u00dfe aus dem Gateway.\r\n", copy.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SMTPUTF8", new[] { "8BITMIME" }, "550 5.6.7")]
    [InlineData("BODY=8BITMIME", new[] { "SMTPUTF8" }, "554 5.6.3")]
    [InlineData("BODY=8BITMIME", new string[0], "554 5.6.3")]
    public async Task A_copy_that_needs_an_extension_the_upstream_lacks_is_refused_and_nothing_is_relayed(string parameters, string[] offered, string expected)
    {
        await using var sink = new TestSmtpSink { Extensions = offered };
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port);

        var (reply, followUp) = await SendAsync(gateway, Mail.UniqueAddress("reader"), parameters);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);

        // The session goes on: the refusal is the message's, not the connection's.
        Assert.StartsWith("250", followUp, StringComparison.Ordinal);
    }

    // RFC 6152 3: a relay may convert 8-bit content for a server without 8BITMIME; the gateway does
    // only when the operator says so, and the copy then reads the same, in 7 bit.
    [Fact]
    public async Task With_downgrade_allowed_an_8_bit_copy_goes_to_an_upstream_without_8bitmime_converted_to_7_bit()
    {
        await using var sink = new TestSmtpSink { Extensions = [] };
        await using var gateway = await GatewayInstance.StartAsync(
            null, sink.Port, new Dictionary<string, string> { ["Suppression:Upstream:Downgrade8Bit"] = "true" });

        var (reply, _) = await SendAsync(gateway, Mail.UniqueAddress("reader"), "BODY=8BITMIME");

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        var copy = Assert.Single(sink.Messages);
        Assert.DoesNotContain("BODY=", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        // The body, that is: a UTF-8 Subject needs SMTPUTF8 (RFC 6532), which no conversion removes.
        var body = copy.Text[(copy.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.DoesNotContain(body, character => character > '\u007f');
        using var parsed = MimeKit.MimeMessage.Load(new MemoryStream(copy.Data));
        Assert.Equal("Gr\u00fc\u00dfe aus dem Gateway.\r\n", parsed.TextBody?.ReplaceLineEndings("\r\n"));
        Assert.Matches("(?m)^Content-Transfer-Encoding: (quoted-printable|base64)\r$", copy.Text);
    }

    // A real MTA as the upstream: Postfix takes both extensions from the gateway and passes them on
    // to the next hop with the message unchanged (smtputf8_enable is its default).
    [PrivatePostfixFact]
    public async Task Through_a_real_postfix_the_extensions_and_the_bytes_reach_the_next_hop()
    {
        await using var nextHop = new TestSmtpSink();
        await using var postfix = await PostfixUpstream.StartAsync(nextHop.Port);
        await using var gateway = await GatewayInstance.StartAsync(null, postfix.Port);
        var recipient = $"j\u00f6ran-{Guid.NewGuid():N}@example.org";

        var (reply, _) = await SendAsync(gateway, recipient, "BODY=8BITMIME SMTPUTF8");

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(!nextHop.Messages.IsEmpty), TimeSpan.FromSeconds(30)),
            $"Postfix did not pass the message on; its log:\n{postfix.Log}");
        var copy = Assert.Single(nextHop.Messages);
        Assert.Equal([recipient], copy.Recipients);
        Assert.Contains("BODY=8BITMIME", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("SMTPUTF8", copy.MailParameters, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\nGr\u00fc\u00dfe aus dem Gateway.\r\n", copy.Text, StringComparison.Ordinal);
    }

    private static async Task<(string? Reply, string? FollowUp)> SendAsync(GatewayInstance gateway, string recipient, string parameters)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "marketing.test");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync($"MAIL FROM:<news@sender.test> {parameters}".TrimEnd()));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(EightBitMessage.Replace("RECIPIENT", recipient, StringComparison.Ordinal) + ".\r\n");
        var reply = await client.ReadReplyAsync();
        return (reply, await client.CommandAsync("NOOP"));
    }
}
