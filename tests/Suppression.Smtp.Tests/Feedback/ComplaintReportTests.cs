using System.Net;
using System.Text;
using Suppression.Smtp.Feedback;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Feedback;

public sealed class ComplaintReportTests
{
    [Fact]
    public void Yahoo_abuse_report_is_a_complaint_for_the_original_rcpt_to()
    {
        var report = FeedbackSamples.Parse(ComplaintSamples.YahooAbuse);

        Assert.Equal(FeedbackKind.Complaint, report.Kind);
        Assert.Equal(SuppressionSource.Arf, report.Source);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("spring.reader@yahoo.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.Complaint, recipient.Outcome);
        Assert.Equal(SuppressionReason.Complaint, recipient.SuppressionReason);
        Assert.Equal("20240603100210.6A7B81C0C1@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Yahoo_report_details_are_kept_including_the_draft_received_date()
    {
        var details = FeedbackSamples.Parse(ComplaintSamples.YahooAbuse).Complaint;

        Assert.NotNull(details);
        Assert.Equal("abuse", details.FeedbackType);
        Assert.Equal("Yahoo!-Mail-Feedback/2.0", details.UserAgent);
        Assert.Equal("0.1", details.Version);
        Assert.Equal("<bounces@gateway.example>", details.OriginalMailFrom);
        Assert.Equal(IPAddress.Parse("198.51.100.7"), details.SourceIp);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 10, 2, 11, TimeSpan.Zero), details.ArrivalDate);
        Assert.Equal(["shop.example"], details.ReportedDomains);
    }

    [Fact]
    public void Microsoft_jmrp_report_without_original_rcpt_to_uses_the_returned_messages_to()
    {
        var report = FeedbackSamples.Parse(ComplaintSamples.MicrosoftJmrpAbuse);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("reader@outlook.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.Complaint, recipient.Outcome);
        Assert.Equal("20240604182230.1C2D31C0D7@shop.example", report.OriginalMessageId);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 11, 22, 33, TimeSpan.FromHours(-7)), report.Complaint?.ArrivalDate);
    }

    [Fact]
    public void Fraud_report_with_headers_only_is_a_complaint()
    {
        var report = FeedbackSamples.Parse(ComplaintSamples.FraudWithHeadersOnly);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("customer@mail.example.net", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.Complaint, recipient.Outcome);
        Assert.Equal("20240605074000.2B3C41C0E9@shop.example", report.OriginalMessageId);
        Assert.Equal("fraud", report.Complaint?.FeedbackType);
        Assert.Equal(IPAddress.Parse("2001:db8::25"), report.Complaint?.SourceIp);
        Assert.Equal(["shop.example", "links.shop.example"], report.Complaint?.ReportedDomains);
    }

    [Theory]
    [InlineData("not-spam")]
    [InlineData("virus")]
    [InlineData("other")]
    [InlineData("auth-failure")]
    public void Feedback_types_that_do_not_withdraw_consent_name_the_recipient_but_suppress_nothing(string feedbackType)
    {
        var raw = ComplaintSamples.YahooAbuse.Replace("Feedback-Type: abuse", "Feedback-Type: " + feedbackType, StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Complaint, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("spring.reader@yahoo.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.None, recipient.Outcome);
        Assert.Null(recipient.SuppressionReason);
        Assert.Equal(feedbackType, report.Complaint?.FeedbackType);
    }

    [Fact]
    public void Feedback_type_is_matched_without_regard_to_case()
    {
        var raw = ComplaintSamples.YahooAbuse.Replace("Feedback-Type: abuse", "Feedback-Type: Abuse", StringComparison.Ordinal);

        Assert.Equal(FeedbackOutcome.Complaint, Assert.Single(FeedbackSamples.Parse(raw).Recipients).Outcome);
    }

    [Fact]
    public void Every_original_rcpt_to_is_a_complaint()
    {
        var raw = ComplaintSamples.YahooAbuse.Replace(
            "Original-Rcpt-To: <Spring.Reader@yahoo.com>",
            "Original-Rcpt-To: <Spring.Reader@yahoo.com>\nOriginal-Rcpt-To: <second.reader@yahoo.com>",
            StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(2, report.Recipients.Count);
        Assert.Equal(FeedbackOutcome.Complaint, report.RecipientFor("spring.reader@yahoo.com").Outcome);
        Assert.Equal(FeedbackOutcome.Complaint, report.RecipientFor("second.reader@yahoo.com").Outcome);
    }

    [Fact]
    public void A_repeated_original_rcpt_to_is_one_complaint_and_the_order_is_kept()
    {
        var raw = ComplaintSamples.YahooAbuse.Replace(
            "Original-Rcpt-To: <Spring.Reader@yahoo.com>",
            "Original-Rcpt-To: <Spring.Reader@yahoo.com>\nOriginal-Rcpt-To: <second.reader@yahoo.com>\nOriginal-Rcpt-To: <spring.reader@yahoo.com>",
            StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(["spring.reader@yahoo.com", "second.reader@yahoo.com"], report.Recipients.Select(recipient => recipient.Address.Value));
    }

    [Fact]
    public void A_complaint_naming_more_recipients_than_allowed_is_malformed_and_none_is_read()
    {
        var raw = ComplaintSamples.YahooAbuse.Replace(
            "Original-Rcpt-To: <Spring.Reader@yahoo.com>",
            string.Join('\n', Enumerable.Range(0, 3).Select(i => $"Original-Rcpt-To: <reader{i}@yahoo.com>")),
            StringComparison.Ordinal);

        var report = FeedbackReportParser.Parse(FeedbackSamples.Load(raw), maxRecipients: 2);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("more than 2", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Returned_message_to_several_mailboxes_does_not_say_who_complained()
    {
        var raw = ComplaintSamples.MicrosoftJmrpAbuse.Replace("To: <Reader@Outlook.com>", "To: <Reader@Outlook.com>, other@outlook.com", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("2 mailboxes", report.Reason, StringComparison.Ordinal);
        Assert.Equal("abuse", report.Complaint?.FeedbackType);
    }

    [Fact]
    public void Unreadable_original_rcpt_to_is_malformed_with_the_reason()
    {
        var raw = ComplaintSamples.YahooAbuse.Replace("Original-Rcpt-To: <Spring.Reader@yahoo.com>", "Original-Rcpt-To: redacted", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Contains("Original-Rcpt-To 'redacted' is not an address", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Returned_message_base64_encoded_against_rfc_2046_is_still_read()
    {
        const string PartHeaders = "Content-Type: message/rfc822\nContent-Disposition: inline\n\n";
        var sample = ComplaintSamples.MicrosoftJmrpAbuse.ReplaceLineEndings("\n");
        var start = sample.IndexOf(PartHeaders, StringComparison.Ordinal) + PartHeaders.Length;
        var end = sample.LastIndexOf("\n--9d1d4a7e", StringComparison.Ordinal);
        var original = sample[start..end].ReplaceLineEndings("\r\n");
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(original), Base64FormattingOptions.InsertLineBreaks);
        var raw = sample[..start].Replace(PartHeaders, "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n", StringComparison.Ordinal)
            + encoded + sample[end..];

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal("reader@outlook.com", Assert.Single(report.Recipients).Address.Value);
        Assert.Equal("20240604182230.1C2D31C0D7@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Report_without_feedback_type_is_malformed()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.FeedbackTypeMissing);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("Feedback-Type", report.Reason, StringComparison.Ordinal);
        Assert.Null(report.Source);
    }
}
