using System.Net;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Relay;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// Addresses that an upstream MTA routes to another mailbox than the one written (issue 15, item 2):
/// the gateway refuses them at RCPT instead of checking the literal address and relaying it.
/// <see cref="Relay.PostfixUpstreamTests"/> shows a stock Postfix delivering them.
/// </summary>
public sealed class RoutedRecipientTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    public static TheoryData<string> RoutedRecipients => new()
    {
        "frank%example.org@localhost",
        "example.org!frank@mail.internal",
        "frank%example.org@[127.0.0.1]",
        "frank@[127.0.0.1]",
        "frank@[IPv6:::1]",
        "\"frank@example.org\"@localhost",
        "\"frank%example.org\"@localhost",
        "\"example.org!frank\"@mail.internal",
        "\"fr\\ank%example.org\"@localhost",
        "FRANK%EXAMPLE.ORG@LOCALHOST",
    };

    [Theory]
    [MemberData(nameof(RoutedRecipients))]
    public async Task Routed_recipient_is_refused_553_and_nothing_reaches_the_upstream_for_it(string routed)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var subscriber = Mail.UniqueAddress("subscriber");
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));

        var reply = await client.CommandAsync($"RCPT TO:<{routed}>");

        Assert.StartsWith("553 5.1.3 ", reply);
        Assert.Contains("refused", reply, StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{subscriber}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: routed\r\n\r\nHello\r\n."));
        var received = Assert.Single(fixture.Sink.Messages);
        Assert.Equal([subscriber], received.Recipients);
    }

    [Theory]
    [InlineData("frank+news@example.org")]
    [InlineData("o'brien&sons=1@example.org")]
    [InlineData("\"frank smith\"@example.org")]
    public async Task Ordinary_recipients_with_special_characters_are_still_relayed(string recipient)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));

        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: plain\r\n\r\nHello\r\n."));
        Assert.Equal([recipient], Assert.Single(fixture.Sink.Messages).Recipients);
    }

    // RFC 5321 4.1.2 and Appendix C: a source route is accepted and ignored. What goes upstream is the
    // mailbox after it, the same one the suppression list was asked about, never the route.
    [Fact]
    public async Task Source_route_is_dropped_and_the_mailbox_after_it_is_the_one_checked_and_relayed()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var optedOut = Mail.UniqueAddress("routed-opted-out");
        var subscriber = Mail.UniqueAddress("routed-subscriber");
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut })).StatusCode);
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "tenant.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));

        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<@relay.example,@mail.internal:{optedOut}>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<@localhost:{subscriber}>"));
        Assert.StartsWith("553 5.1.3", await client.CommandAsync("RCPT TO:<@localhost:frank%example.org@localhost>"));
        Assert.StartsWith("501 ", await client.CommandAsync($"RCPT TO:<<{subscriber}>>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("Subject: routed\r\n\r\nHello\r\n."));

        var received = Assert.Single(fixture.Sink.Messages);
        Assert.Equal([subscriber], received.Recipients);
    }
}
