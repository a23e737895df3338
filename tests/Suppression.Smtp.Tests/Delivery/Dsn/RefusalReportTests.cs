using System.Text;
using MimeKit;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Dsn;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Tests.Delivery.Dsn;

/// <summary>The DSN the gateway writes for refused copies, read back as a mail system (and the gateway's own feedback parser) would.</summary>
public sealed class RefusalReportTests
{
    private const string Original =
        "From: News <news@sender.example>\r\n" +
        "To: <gone+news@example.com>, <alive@example.com>\r\n" +
        "Message-ID: <offer-17@sender.example>\r\n" +
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
        "\r\n" +
        "The body is not returned.\r\n";

    private static readonly FormatOptions Dos = new FormatOptions { NewLineFormat = NewLineFormat.Dos };

    private static readonly DateTimeOffset Arrival = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_report_is_a_well_formed_rfc_3464_dsn_that_names_only_the_refused_recipient()
    {
        var dsn = WriteAndRead(Create(Refused("gone+news@example.com", 550, "5.1.1 No such user here")));

        Assert.Equal("news@sender.example", Assert.Single(dsn.To.Mailboxes).Address);
        Assert.Equal("MAILER-DAEMON@gateway.example", Assert.Single(dsn.From.Mailboxes).Address);
        Assert.Equal("auto-replied", dsn.Headers["Auto-Submitted"]);
        Assert.Equal("1.0", dsn.Headers["MIME-Version"]);
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.IsType<TextPart>(report[0]);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        Assert.Equal("dns; gateway.example", status.StatusGroups[0]["Reporting-MTA"]);
        Assert.Equal(Arrival, MimeKit.Utils.DateUtils.TryParse(status.StatusGroups[0]["Arrival-Date"], out var arrival) ? arrival : default);
        var group = status.StatusGroups[1];
        Assert.Equal("rfc822;gone+2Bnews@example.com", group["Original-Recipient"]);
        Assert.Equal("rfc822;gone+news@example.com", group["Final-Recipient"]);
        Assert.Equal(("failed", "5.1.1", "dns; upstream.example", "smtp; 550 5.1.1 No such user here"), (group["Action"], group["Status"], group["Remote-MTA"], group["Diagnostic-Code"]));

        var parsed = DeliveryStatusParser.Parse(report, maxRecipients: 100);
        Assert.Equal(FeedbackKind.DeliveryStatus, parsed.Kind);
        Assert.Equal(string.Empty, parsed.Reason);
        Assert.Equal("offer-17@sender.example", parsed.OriginalMessageId);
        var recipient = Assert.Single(parsed.Recipients);
        Assert.Equal("gone+news@example.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.1", recipient.Status);
    }

    [Fact]
    public void The_returned_headers_are_the_clients_and_the_body_is_not_returned()
    {
        var report = Assert.IsType<MultipartReport>(WriteAndRead(Create(Refused("gone+news@example.com", 550, "5.1.1 No such user here"))).Body);

        var headers = Assert.IsType<TextRfc822Headers>(report[2]);
        using var written = new MemoryStream();
        Assert.NotNull(headers.Message);
        headers.Message.WriteTo(Dos, written);
        var text = Encoding.UTF8.GetString(written.ToArray());
        Assert.StartsWith(Original[..Original.IndexOf("\r\n\r\n", StringComparison.Ordinal)], text, StringComparison.Ordinal);
        Assert.DoesNotContain("not returned", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("550 Mailbox unavailable", 550, "5.0.0")]
    [InlineData("4.2.2 said temporary, answered 552", 552, "5.0.0")]
    [InlineData("5.2.2 Mailbox full", 552, "5.2.2")]
    public void The_status_is_the_upstreams_permanent_enhanced_code_or_5_0_0(string upstreamText, int code, string status)
    {
        var report = Assert.IsType<MultipartReport>(WriteAndRead(Create(Refused("gone@example.com", code, upstreamText))).Body);

        var group = report.OfType<MessageDeliveryStatus>().Single().StatusGroups[1];
        Assert.Equal(status, group["Status"]);
        Assert.Equal($"smtp; {code} {upstreamText}", group["Diagnostic-Code"]);
    }

    [Fact]
    public void A_non_ascii_recipient_is_written_as_an_rfc_6533_utf8_address_the_parser_reads_back()
    {
        var report = Assert.IsType<MultipartReport>(WriteAndRead(Create(Refused("jörg@example.com", 550, "5.1.1 unknown"))).Body);

        Assert.Equal("jörg@example.com", Assert.Single(DeliveryStatusParser.Parse(report, maxRecipients: 100).Recipients).Address.Value);
    }

    private static RefusedCopy Refused(string recipient, int code, string text) =>
        new(new MailboxPath(recipient, Suppression.Addresses.AddressNormalizer.Normalize(recipient)), RelayResult.FromUpstreamReply(code, text));

    private static MimeMessage Create(RefusedCopy refused)
    {
        var headers = HeaderList.Load(new MemoryStream(Encoding.UTF8.GetBytes(Original)));
        return RefusalReport.Create("gateway.example", "upstream.example", "news@sender.example", Arrival, [refused], headers, Arrival.AddSeconds(3));
    }

    private static MimeMessage WriteAndRead(MimeMessage message)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(Dos, bytes);
        bytes.Position = 0;
        return MimeMessage.Load(bytes);
    }
}
