using System.Net;
using StackExchange.Redis;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// Issue 4's bounces and complaints as they arrive: a DSN with 5.1.1 at the feedback address
/// suppresses the recipient for every class; 4.2.2 does not, until the soft bounces add up; an ARF
/// abuse report stops marketing to the complainant. None of it is relayed.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class FeedbackTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_hard_bounce_suppresses_every_class_and_is_audited(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var gone = Mail.UniqueAddress("gone");

        Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "bounces@gateway.test", Dsn(gone, "failed", "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist.")));

        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(("global", "hard-bounce", "dsn"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        Assert.Equal([], await DeliveredAsync(gateway, gone, "transactional", tenant: "bank"));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, gone));
        Assert.Contains("Status 5.1.1", record.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Equal(("dsn", "original-1@sender.test"), (record.GetProperty("actor").GetString(), record.GetProperty("messageId").GetString()));
        Assert.DoesNotContain(fixture.Sink.Messages, copy => copy.Recipients.Contains("bounces@gateway.test"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Soft_bounces_do_not_suppress_until_they_reach_the_limit(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var full = Mail.UniqueAddress("full");

        for (var bounce = 1; bounce <= 2; bounce++)
        {
            Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "bounces@gateway.test", Dsn(full, "delayed", "4.2.2", "452 4.2.2 Mailbox full")));
        }

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(full));
        Assert.Equal([full], await DeliveredAsync(gateway, full, "marketing"));

        Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "bounces@gateway.test", Dsn(full, "delayed", "4.2.2", "452 4.2.2 Mailbox full")));

        var entry = Assert.Single(await gateway.EntriesAsync(full));
        Assert.Equal("hard-bounce", entry.GetProperty("reason").GetString());
        Assert.StartsWith("3 soft bounces within 7 days", Assert.Single(await AuditTrail.ForAsync(gateway, full)).GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_abuse_report_stops_marketing_to_the_complainant_but_not_transactional_mail(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var complainant = Mail.UniqueAddress("complainant");

        Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "fbl@gateway.test", Arf(complainant)));

        var entry = Assert.Single(await gateway.EntriesAsync(complainant));
        Assert.Equal(("complaint", "arf"), (entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        Assert.Equal([], await DeliveredAsync(gateway, complainant, "marketing"));
        Assert.Equal([complainant], await DeliveredAsync(gateway, complainant, "transactional", tenant: "bank"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task A_complaint_about_a_tenants_stamped_message_stops_that_tenants_marketing_only(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var complainant = Mail.UniqueAddress("complainant");
        var bystander = Mail.UniqueAddress("bystander");
        fixture.Sink.Messages.Clear();
        var newsletter = Mail.Create("news@sender.test", [complainant, bystander]);
        newsletter.Headers.Add("X-Suppression-Tenant", "acme");
        await Mail.SendAsync(gateway.SmtpPort, newsletter);
        var copies = fixture.Sink.Messages.ToDictionary(copy => copy.Recipients[0], copy => HeadersOf(copy.Text));

        // The provider returns the complainant's own copy; a report quoting someone else's copy proves nothing about the tenant.
        Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "fbl@gateway.test", Arf(complainant, copies[complainant])));
        Assert.StartsWith("250 2.0.0", await SendReportAsync(gateway, "fbl@gateway.test", Arf(bystander, copies[complainant])));

        var entry = Assert.Single(await gateway.EntriesAsync(complainant));
        Assert.Equal(("tenant:acme", "complaint"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Equal("global", Assert.Single(await gateway.EntriesAsync(bystander)).GetProperty("scope").GetString());
        Assert.Equal([], await DeliveredAsync(gateway, complainant, "marketing", tenant: "acme"));
        Assert.Equal([complainant], await DeliveredAsync(gateway, complainant, "marketing", tenant: "bank"));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_unreadable_report_is_accepted_and_kept_for_inspection(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var marker = Guid.NewGuid().ToString("N");

        var reply = await SendReportAsync(gateway, "bounces@gateway.test", $"From: MAILER-DAEMON@mx.example\r\nSubject: failure notice {marker}\r\n\r\nHi. This is the qmail-send program. I'm afraid I wasn't able to deliver your message.\r\n");

        Assert.StartsWith("250 2.0.0", reply);
        var redis = (IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!;
        var kept = await redis.GetDatabase().ListRangeAsync(RedisKeyLayout.Default.RejectedFeedbackKey, -20, -1);
        Assert.Contains(kept, record => record.ToString().Contains(marker, StringComparison.Ordinal));
    }

    private static async Task<string> SendReportAsync(GatewayInstance gateway, string to, string message)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "mx.provider.example");
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{to}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal) + ".\r\n");
        return (await client.ReadReplyAsync())!;
    }

    private async Task<List<string>> DeliveredAsync(GatewayInstance gateway, string recipient, string messageClass, string? tenant = null)
    {
        fixture.Sink.Messages.Clear();
        var message = Mail.Create("news@sender.test", [recipient]);
        message.Headers.Add("X-Suppression-Class", messageClass);
        if (tenant is not null)
        {
            message.Headers.Add("X-Suppression-Tenant", tenant);
        }

        await Mail.SendAsync(gateway.SmtpPort, message);
        return fixture.Sink.Messages.Select(copy => Assert.Single(copy.Recipients)).ToList();
    }

    // A Postfix-style DSN (RFC 3464) about one recipient.
    private static string Dsn(string recipient, string action, string status, string diagnostic) => $"""
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
        Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0000

        Final-Recipient: rfc822; {recipient}
        Original-Recipient: rfc822;{recipient}
        Action: {action}
        Status: {status}
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; {diagnostic}

        --B1
        Content-Type: text/rfc822-headers

        From: News <news@sender.test>
        To: {recipient}
        Subject: Spring sale
        Message-ID: <original-1@sender.test>

        --B1--

        """.ReplaceLineEndings("\r\n");

    private static string HeadersOf(string message) => message[..message.IndexOf("\r\n\r\n", StringComparison.Ordinal)] + "\r\n";

    // A Yahoo-style ARF abuse report (RFC 5965), returning the reported message's headers (or a minimal message).
    private static string Arf(string complainant, string? returnedHeaders = null) => $"""
        From: feedbackloop@yahoo.example
        To: fbl@gateway.test
        Subject: FW: Spring sale
        Date: Mon, 23 Nov 2026 11:00:00 +0000
        Message-ID: <arf-{Guid.NewGuid():N}@yahoo.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="A1"

        --A1
        Content-Type: text/plain

        This is an email abuse report for an email message received from IP 192.0.2.25.

        --A1
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Yahoo!-Mail-Feedback/2.0
        Version: 1
        Original-Mail-From: <news@sender.test>
        Original-Rcpt-To: <{complainant}>
        Arrival-Date: Mon, 23 Nov 2026 10:30:00 +0000
        Source-IP: 192.0.2.25
        Reported-Domain: sender.test

        --A1
        Content-Type: {(returnedHeaders is null ? "message/rfc822" : "text/rfc822-headers")}

        {returnedHeaders ?? $"From: News <news@sender.test>\r\nTo: {complainant}\r\nSubject: Spring sale\r\nMessage-ID: <original-2@sender.test>\r\n\r\nBig discounts.\r\n"}
        --A1--

        """.ReplaceLineEndings("\r\n");
}
