using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

public sealed class UnrecognizedFeedbackTests
{
    [Fact]
    public void Plain_text_notice_that_names_no_recipient_is_unrecognized()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.QmailBounceWithoutRecipient);

        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("multipart/report", report.Reason, StringComparison.Ordinal);
        Assert.Contains("names no failed recipient", report.Reason, StringComparison.Ordinal);
        Assert.Null(report.Source);
    }

    [Fact]
    public void A_persons_reply_is_unrecognized_even_when_it_asks_to_stop()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.PersonalReply);

        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
        Assert.Empty(report.Recipients);
    }

    [Fact]
    public void Read_receipt_is_unrecognized()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.ReadReceipt);

        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
        Assert.Contains("read receipt", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_status_report_without_its_delivery_status_part_is_read_from_its_text()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.DeliveryStatusPartMissing);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("nobody@example.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("20240603094500.4E5F61C0A2@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Delivery_status_report_without_its_delivery_status_part_or_a_recipient_in_its_text_is_malformed()
    {
        var raw = MalformedFeedbackSamples.DeliveryStatusPartMissing.Replace("<nobody@example.com>\n", "\n", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("message/delivery-status", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_recipient_fields_without_a_recipient_are_malformed()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.RecipientMissing);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("neither Final-Recipient nor Original-Recipient", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbled_status_without_a_code_in_the_diagnostic_is_only_a_soft_bounce()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.GarbledFields);

        var recipient = report.RecipientFor("quota.user@legacy.example.com");
        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome);
        Assert.Null(recipient.Status);
        Assert.Contains("Status 'permanent failure' is not an RFC 3463 code", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbled_status_falls_back_on_the_code_in_the_quoted_reply()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.GarbledFields);

        var recipient = report.RecipientFor("typo.user@legacy.example.com");
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.1", recipient.Status);
    }

    [Fact]
    public void A_non_internet_address_is_skipped_and_the_readable_recipients_are_kept()
    {
        var report = FeedbackSamples.Parse(MalformedFeedbackSamples.GarbledFields);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        Assert.Equal(2, report.Recipients.Count);
        Assert.Contains("address type 'x400'", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_only_recipient_makes_the_report_malformed()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown
            .Replace("Final-Recipient: rfc822; jane.doe@example.org", "Final-Recipient: rfc822; jane doe at example", StringComparison.Ordinal)
            .Replace("Original-Recipient: rfc822;jane.doe@example.org\n", string.Empty, StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("'jane doe at example' is not an address", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_status_part_that_is_not_fields_is_malformed()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown.Replace(
            "Reporting-MTA: dns; mx1.relay.example",
            "The following message could not be delivered",
            StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
    }

    [Fact]
    public void Missing_report_type_falls_back_on_the_machine_readable_part()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown.Replace("report-type=delivery-status;", string.Empty, StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        Assert.Equal(FeedbackOutcome.HardBounce, report.RecipientFor("jane.doe@example.org").Outcome);
    }

    [Fact]
    public void Null_message_is_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => FeedbackReportParser.Parse(null!));
    }
}
