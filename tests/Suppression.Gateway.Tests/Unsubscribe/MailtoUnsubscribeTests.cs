using System.Net;
using MailKit.Net.Smtp;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>The stamped mailto link (RFC 2369), used as a mail client uses it: a mail with the given subject.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class MailtoUnsubscribeTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Mail_to_the_stamped_address_stops_the_very_next_message_is_audited_and_is_not_relayed(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var leaving = Mail.UniqueAddress("leaving");
        var staying = Mail.UniqueAddress("staying");
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving, staying]));
        var mailto = MailtoOf(fixture.Sink.Messages.Single(copy => copy.Recipients[0] == leaving));
        fixture.Sink.Messages.Clear();

        // What a mail client makes of <mailto:unsubscribe@gateway.test?subject=unsubscribe-...>: the
        // person's own address as sender (any address will do) and a body of their own.
        var request = new MimeMessage();
        request.From.Add(MailboxAddress.Parse("someone.else@elsewhere.test"));
        request.To.Add(MailboxAddress.Parse(mailto.Address));
        request.Subject = "Re: " + mailto.Subject;
        request.Body = new TextPart("plain") { Text = "please stop" };
        var reply = await Mail.SendAsync(gateway.SmtpPort, request);

        Assert.StartsWith("2.0.0 Unsubscribed", reply, StringComparison.Ordinal);
        Assert.Empty(fixture.Sink.Messages);
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [leaving, staying]));
        Assert.Equal([staying], fixture.Sink.Messages.Select(copy => copy.Recipients[0]));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, leaving));
        Assert.Equal("mailto", record.GetProperty("source").GetString());
        Assert.Equal("suppressed", record.GetProperty("type").GetString());
        Assert.Equal("127.0.0.1", record.GetProperty("clientIp").GetString());
        Assert.StartsWith("mail to the unsubscribe address, Message-ID <", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Mail_without_a_valid_token_is_refused_and_unsubscribes_nobody(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("kept");
        var token = fixture.Mint(address);
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];

        foreach (var subject in new[] { "unsubscribe", "unsubscribe-" + tampered, "unsubscribe-" + token[..40], "please remove " + address })
        {
            var request = new MimeMessage();
            request.From.Add(MailboxAddress.Parse(address));
            request.To.Add(MailboxAddress.Parse("unsubscribe@gateway.test"));
            request.Subject = subject;
            request.Body = new TextPart("plain") { Text = "remove me" };

            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, request));
            Assert.Equal(550, (int)refused.StatusCode);
            Assert.Contains("No valid unsubscribe token", refused.Message, StringComparison.Ordinal);
        }

        using var lookup = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Empty(await AuditTrail.ForAsync(gateway, address));
    }

    [Fact]
    public async Task The_unsubscribe_address_is_accepted_from_outside_the_relay_networks_and_nothing_else_is()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, fixture.Sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Tokens:Keys:0"] = fixture.KeySetting,
            ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
        });
        var address = Mail.UniqueAddress("outsider");

        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "mx.provider.test");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<bounce@provider.test>"));
        Assert.StartsWith("554 5.7.1", await client.CommandAsync($"RCPT TO:<{Mail.UniqueAddress("victim")}>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<Unsubscribe@Gateway.Test>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync($"From: <bounce@provider.test>\r\nSubject: unsubscribe-{fixture.Mint(address)}\r\n\r\nx\r\n.\r\n");
        Assert.StartsWith("250 2.0.0", await client.ReadReplyAsync());

        using var lookup = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.DoesNotContain(fixture.Sink.Messages, copy => copy.Recipients.Contains("unsubscribe@gateway.test"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task The_unsubscribe_address_and_relayed_recipients_go_in_separate_transactions(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);

        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "client.test");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{Mail.UniqueAddress("reader")}>"));
        Assert.StartsWith("452 4.5.3", await client.CommandAsync("RCPT TO:<unsubscribe@gateway.test>"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("RSET"));
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<someone@provider.test>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<unsubscribe@gateway.test>"));
        Assert.StartsWith("452 4.5.3", await client.CommandAsync($"RCPT TO:<{Mail.UniqueAddress("reader")}>"));
    }

    private static (string Address, string Subject) MailtoOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<mailto:", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        var uri = header[(start + "<mailto:".Length)..header.IndexOf('>', start)];
        var parts = uri.Split("?subject=");
        return (parts[0], Uri.UnescapeDataString(parts[1]));
    }
}
