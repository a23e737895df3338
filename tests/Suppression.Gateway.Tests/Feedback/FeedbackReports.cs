using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>Reports a mailbox provider sends the gateway, for tests that mail them in.</summary>
public static class FeedbackReports
{
    /// <summary>Mails <paramref name="message"/> to <paramref name="to"/> with the null sender, as a reporting MTA does; returns the reply to DATA.</summary>
    public static async Task<string> MailAsync(GatewayInstance gateway, string to, string message)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(message);
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "mx.stranger.example");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{to}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal) + ".\r\n");
        return (await client.ReadReplyAsync())!;
    }

    /// <summary>A DSN (RFC 3464) from a stranger's MTA: <paramref name="recipient"/> does not exist (5.1.1).</summary>
    public static string Dsn(string recipient) => Dsn([recipient]);

    /// <summary>A DSN with one per-recipient group (RFC 3464 2.3) for each of <paramref name="recipients"/>, all unknown (5.1.1).</summary>
    public static string Dsn(IReadOnlyList<string> recipients) => $"""
        From: MAILER-DAEMON@mx.stranger.example
        To: bounces@gateway.test
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <dsn-{Guid.NewGuid():N}@mx.stranger.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain

        Your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.stranger.example
        {string.Concat(recipients.Select(recipient => $"\r\nFinal-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\r\n"))}
        --B1
        Content-Type: text/rfc822-headers

        From: News <news@sender.test>
        To: {string.Join(", ", recipients)}
        Message-ID: <original-1@sender.test>

        --B1--

        """.ReplaceLineEndings("\r\n");

    /// <summary>
    /// An ARF abuse report (RFC 5965) for <paramref name="complainant"/>. The returned part is a
    /// message without the gateway's List-Unsubscribe link, or <paramref name="returnedHeaders"/>
    /// as text/rfc822-headers.
    /// </summary>
    public static string Arf(string to, string complainant, string? returnedHeaders = null) => $"""
        From: feedbackloop@provider.example
        To: {to}
        Subject: FW: Spring sale
        Message-ID: <arf-{Guid.NewGuid():N}@provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="A1"

        --A1
        Content-Type: text/plain

        This is an email abuse report.

        --A1
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Provider-Feedback/1.0
        Version: 1
        Original-Rcpt-To: <{complainant}>

        --A1
        Content-Type: {(returnedHeaders is null ? "message/rfc822" : "text/rfc822-headers")}

        {returnedHeaders ?? $"From: News <news@sender.test>\r\nTo: {complainant}\r\nSubject: Spring sale\r\nMessage-ID: <original-{Guid.NewGuid():N}@sender.test>\r\n\r\nBig discounts.\r\n"}
        --A1--

        """.ReplaceLineEndings("\r\n");
}
