using System.Net;
using System.Net.Http.Json;
using System.Text;
using MailKit.Net.Smtp;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>
/// A day at the gateway in a few seconds, for the tests that check what leaves it (logs, spans,
/// metrics): every path that handles an address. Suppressions added, looked up and removed through
/// the API (with an address in the evidence) and imported; an audit search by address; an erasure;
/// a message with a recipient dropped at RCPT, one dropped after DATA and two relayed; upstream
/// deferrals and a refusal whose text names the recipient; a one-click and a mailto unsubscribe;
/// a DSN hard bounce and a report the parser cannot read that quotes an address; an SMTP login, and
/// a failed one, by a user whose name is an address.
/// </summary>
public static class Traffic
{
    public const string FeedbackAddress = "bounces@gateway.test";

    // An SMTP user named by an address, as many are.
    private const string MailerUsername = "mailer-5d0c9b7e@acme.example";
    private const string MailerPassword = "correct horse battery";

    /// <summary>The gateway settings the traffic needs: a feedback address, no rate limit in the way, one quick upstream retry.</summary>
    public static Dictionary<string, string> Settings(IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Suppression:Feedback:Addresses:0"] = FeedbackAddress,
            ["Suppression:Feedback:Unauthenticated"] = "Act", // the traffic's bounce counts and traces as a suppression
            ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",
            ["Suppression:Upstream:RetryAttempts"] = "1",
            ["Suppression:Smtp:AllowPlaintextAuth"] = "true",
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:SmtpUsers:0:Username"] = MailerUsername,
            ["Suppression:Tenants:0:SmtpUsers:0:Password"] = MailerPassword,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <returns>Every recipient address the traffic used; none of them may appear in what the gateway exports or logs.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(GatewayInstance gateway, TestSmtpSink sink)
    {
        var bounced = Mail.UniqueAddress("bounced");
        var complained = Mail.UniqueAddress("complained");
        var clicking = Mail.UniqueAddress("clicking");
        var mailing = Mail.UniqueAddress("mailing");
        var deferred = Mail.UniqueAddress("deferred");
        var refused = Mail.UniqueAddress("refused");
        var bouncing = Mail.UniqueAddress("bouncing");
        var unreadable = Mail.UniqueAddress("unreadable");
        var imported = Mail.UniqueAddress("imported");
        var returning = Mail.UniqueAddress("returning");
        var erased = Mail.UniqueAddress("erased");
        var tenantReader = Mail.UniqueAddress("tenant-reader");

        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = bounced, reason = "hard-bounce", note = "bounced at " + bounced })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = complained, reason = "complaint" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = returning })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri("/api/v1/suppressions/" + bounced, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync(new Uri("/api/v1/audit?address=" + Uri.EscapeDataString(bounced), UriKind.Relative))).StatusCode);
        using (var removal = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/suppressions/" + returning)
        {
            Content = JsonContent.Create(new { evidence = $"{returning} confirmed the double opt-in" }),
        })
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Http.SendAsync(removal)).StatusCode);
        }

        using (var import = await gateway.Http.PostAsync(
            new Uri("/api/v1/suppressions/import", UriKind.Relative), new StringContent($"email,created\n{imported},1700000000\nnot-an-address,1700000000\n", Encoding.UTF8, "text/csv")))
        {
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.PostAsJsonAsync("/api/v1/erasures", new { address = erased, evidence = "request from " + erased })).StatusCode);

        // One message: dropped at RCPT (hard bounce), dropped once classified as marketing (complaint), two relayed.
        sink.Messages.Clear();
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [bounced, complained, clicking, mailing]));
        var copies = sink.Messages.ToDictionary(copy => copy.Recipients[0]);
        Assert.Equal(new[] { clicking, mailing }.Order(StringComparer.Ordinal), copies.Keys.Order(StringComparer.Ordinal));

        using (var oneClick = new HttpClient())
        using (var clicked = await oneClick.PostAsync(LinkOf(copies[clicking]), new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        }

        var (mailtoAddress, subject) = MailtoOf(copies[mailing]);
        var request = new MimeMessage();
        request.From.Add(MailboxAddress.Parse(mailing));
        request.To.Add(MailboxAddress.Parse(mailtoAddress));
        request.Subject = subject;
        request.Body = new TextPart("plain") { Text = "please stop, " + mailing };
        await Mail.SendAsync(gateway.SmtpPort, request);

        // The upstream names the recipient in its replies, as Postfix does.
        sink.RcptReply = address => address == deferred ? $"450 4.2.0 <{address}>: Recipient address rejected: try again later"
            : address == refused ? $"550 5.1.1 <{address}>: Recipient address rejected: User unknown in local recipient table"
            : null;
        try
        {
            Assert.Equal(451, (int)(await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [deferred])))).StatusCode);
            Assert.Equal(550, (int)(await Assert.ThrowsAsync<SmtpCommandException>(() => Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [refused])))).StatusCode);
        }
        finally
        {
            sink.RcptReply = _ => null;
        }

        using (var mailer = new SmtpClient())
        {
            await mailer.ConnectAsync("127.0.0.1", gateway.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => mailer.AuthenticateAsync(MailerUsername, "not the password"));
            await mailer.AuthenticateAsync(MailerUsername, MailerPassword);
            await mailer.SendAsync(Mail.Create("news@acme.example", [tenantReader]));
            await mailer.DisconnectAsync(true);
        }

        Assert.StartsWith("250", await SendReportAsync(gateway, Dsn($"rfc822; {bouncing}")));
        Assert.StartsWith("250", await SendReportAsync(gateway, Dsn($"rfc822; {unreadable.Replace("@", "@@", StringComparison.Ordinal)}")));
        return [bounced, complained, clicking, mailing, deferred, refused, bouncing, unreadable, imported, returning, erased, tenantReader, MailerUsername];
    }

    public static Uri LinkOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<http", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        return new Uri(header[(start + 1)..header.IndexOf('>', start)]);
    }

    private static (string Address, string Subject) MailtoOf(ReceivedMessage copy)
    {
        var header = MimeMessage.Load(new MemoryStream(copy.Data)).Headers["List-Unsubscribe"] ?? string.Empty;
        var start = header.IndexOf("<mailto:", StringComparison.Ordinal);
        Assert.True(start >= 0, header);
        var parts = header[(start + "<mailto:".Length)..header.IndexOf('>', start)].Split("?subject=");
        return (parts[0], Uri.UnescapeDataString(parts[1]));
    }

    private static async Task<string> SendReportAsync(GatewayInstance gateway, string message)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "mx.provider.example");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{FeedbackAddress}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal) + ".\r\n");
        return (await client.ReadReplyAsync())!;
    }

    // A Postfix-style DSN (RFC 3464): a hard bounce of the final recipient given.
    private static string Dsn(string finalRecipient) => $"""
        From: MAILER-DAEMON@mx.provider.example (Mail Delivery System)
        To: {FeedbackAddress}
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <dsn-{Guid.NewGuid():N}@mx.provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain; charset=us-ascii

        Your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.provider.example

        Final-Recipient: {finalRecipient}
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.

        --B1--

        """.ReplaceLineEndings("\r\n");
}
