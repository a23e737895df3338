using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Issue 17, item 4: mail to the feedback addresses is read liberally, since nothing of it is
/// relayed and a refused bounce is lost for good: a line over 1000 octets, bare LF line ends and a
/// bare CR are taken there, while the same message for relay is still refused (SMTP smuggling).
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class LiberalFeedbackTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    public static TheoryData<string> Forms => ["long line", "bare LF", "bare CR"];

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_report_in_a_form_smtp_forbids_is_accepted_at_the_feedback_address_and_applied(string form)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var gone = Mail.UniqueAddress("gone");

        var reply = await SendAsync(gateway, "bounces@gateway.test", InForm(form, Dsn(gone)));

        Assert.StartsWith("250 2.0.0 Report received", reply, StringComparison.Ordinal);
        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task The_same_message_for_relay_is_still_refused(string form)
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        fixture.Sink.Messages.Clear();
        var recipient = Mail.UniqueAddress("reader");

        var reply = await SendAsync(gateway, recipient, InForm(form, Dsn(Mail.UniqueAddress("gone"))));

        Assert.StartsWith("554 5.6.0", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Sink.Messages, copy => copy.Recipients.Contains(recipient));
    }

    [Fact]
    public async Task Only_crlf_dot_crlf_ends_a_report_with_bare_line_feeds()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var gone = Mail.UniqueAddress("gone");

        // "LF.LF" before the delivery-status part is text, not the end: were it the end, the report
        // would have no status to apply and the rest would be read as commands.
        var dsn = Dsn(gone).Replace("could not be delivered.", "could not be delivered.\r\n.", StringComparison.Ordinal).ReplaceLineEndings("\n");
        var reply = await SendAsync(gateway, "bounces@gateway.test", dsn);

        Assert.StartsWith("250 2.0.0 Report received", reply, StringComparison.Ordinal);
        Assert.Single(await gateway.EntriesAsync(gone));
    }

    private static string InForm(string form, string dsn) => form switch
    {
        "long line" => dsn.Replace("Your message could not be delivered.", "Your message could not be delivered." + new string('x', 1500), StringComparison.Ordinal),
        "bare LF" => dsn.ReplaceLineEndings("\n"),
        _ => dsn.Replace("Your message could not be delivered.", "Your message could not\rbe delivered.", StringComparison.Ordinal),
    };

    // The message as given, then the terminator after a CRLF: only CRLF.CRLF ends it.
    private static async Task<string> SendAsync(GatewayInstance gateway, string to, string message)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "mx.provider.example");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<>"), StringComparison.Ordinal);
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{to}>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        await client.SendAsync(message + "\r\n.\r\n");
        return (await client.ReadReplyAsync())!;
    }

    // A Postfix-style DSN (RFC 3464) about one recipient.
    private static string Dsn(string recipient) => $"""
        From: MAILER-DAEMON@mx.provider.example (Mail Delivery System)
        To: bounces@gateway.test
        Subject: Undelivered Mail Returned to Sender
        Date: Mon, 23 Nov 2026 10:00:00 +0000
        Message-ID: <dsn-{Guid.NewGuid():N}@mx.provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx.provider.example. Your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.provider.example

        Final-Recipient: rfc822; {recipient}
        Original-Recipient: rfc822;{recipient}
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown in local recipient table

        --B1
        Content-Type: text/rfc822-headers

        From: News <news@sender.test>
        To: {recipient}
        Subject: Spring sale
        Message-ID: <original-1@sender.test>

        --B1--
        """.ReplaceLineEndings("\r\n");
}
