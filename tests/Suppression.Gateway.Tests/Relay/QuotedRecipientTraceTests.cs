using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>A relay client's quoted local part goes upstream in the envelope as written, never into the Received header.</summary>
public sealed class QuotedRecipientTraceTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Theory]
    [InlineData("\"x>; by evil.example (y\"@example.com")]
    [InlineData("\"a\\\"b; c\"@example.com")]
    [InlineData("\"john (smith)\"@example.com")]
    public async Task Quoted_recipient_is_relayed_but_cannot_write_into_the_received_header(string recipient)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: trace\r\n\r\nHello\r\n."));

        var copy = Assert.Single(fixture.Sink.Messages);
        Assert.Equal([recipient], copy.Recipients);
        var text = copy.Text;
        var lines = text.Split("\r\n");
        var received = lines[0] + string.Concat(lines.Skip(1).TakeWhile(line => line.StartsWith(' ') || line.StartsWith('\t')).Select(line => " " + line.TrimStart()));

        Assert.StartsWith("Received: from tenant.test ([127.0.0.1]) by gateway.test with ESMTP id ", received, StringComparison.Ordinal);
        Assert.DoesNotContain(" for ", received, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", received, StringComparison.Ordinal);
        Assert.Equal(2, received.Split(';').Length);
        Assert.Single(lines, line => line.StartsWith("Received:", StringComparison.Ordinal));
    }
}
