using Suppression.Smtp.Feedback;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Feedback;

public sealed class DeliveryStatusReportTests
{
    [Theory]
    [InlineData(100, FeedbackKind.DeliveryStatus)]
    [InlineData(101, FeedbackKind.Malformed)]
    public void A_report_naming_more_recipients_than_allowed_is_malformed_and_none_is_read(int recipients, FeedbackKind expected)
    {
        var groups = string.Concat(Enumerable.Range(0, recipients).Select(i => $"Final-Recipient: rfc822; user{i}@example.com\nAction: failed\nStatus: 5.1.1\n\n"));
        var raw = "From: MAILER-DAEMON@mx.example\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
            + $"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n{groups}--b--\n";

        var report = FeedbackReportParser.Parse(FeedbackSamples.Load(raw), maxRecipients: 100);

        Assert.Equal(expected, report.Kind);
        Assert.Equal(expected == FeedbackKind.Malformed ? 0 : recipients, report.Recipients.Count);
    }

    [Fact]
    public void Gmail_no_such_user_is_a_hard_bounce_for_the_normalized_address()
    {
        var report = FeedbackSamples.Parse(DeliveryStatusSamples.GmailNoSuchUser);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        Assert.Equal(SuppressionSource.Dsn, report.Source);
        Assert.Equal(string.Empty, report.Reason);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("ana.lopez@gmail.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal(SuppressionReason.HardBounce, recipient.SuppressionReason);
        Assert.Equal("failed", recipient.Action);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Equal("20240603091436.4F2A11C0A3@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Gmail_diagnostic_is_the_reply_text_on_one_line_without_its_type()
    {
        var recipient = Assert.Single(FeedbackSamples.Parse(DeliveryStatusSamples.GmailNoSuchUser).Recipients);

        Assert.NotNull(recipient.Diagnostic);
        Assert.StartsWith("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking", recipient.Diagnostic, StringComparison.Ordinal);
        Assert.EndsWith("- gsmtp", recipient.Diagnostic, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', recipient.Diagnostic);
    }

    [Fact]
    public void Microsoft_365_recipient_not_found_with_a_three_digit_detail_is_a_hard_bounce()
    {
        var report = FeedbackSamples.Parse(DeliveryStatusSamples.Microsoft365RecipientNotFound);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("former.employee@fabrikam.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.10", recipient.Status);
        Assert.Equal("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", recipient.Diagnostic);
        Assert.Equal("20240604091244.7D3E21C0B1@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Postfix_user_unknown_is_a_hard_bounce()
    {
        var report = FeedbackSamples.Parse(DeliveryStatusSamples.PostfixUserUnknown);

        var recipient = report.RecipientFor("jane.doe@example.org");
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("550 5.1.1 <jane.doe@example.org>: Recipient address rejected: User unknown in virtual mailbox table", recipient.Diagnostic);
        Assert.Equal("20240603091436.4F2A11C0A3@shop.example", report.OriginalMessageId);
    }

    [Fact]
    public void Postfix_delay_warning_for_a_full_mailbox_is_a_soft_bounce_and_suppresses_nothing()
    {
        var report = FeedbackSamples.Parse(DeliveryStatusSamples.PostfixMailboxFullDelayed);

        var recipient = report.RecipientFor("full.box@example.net");
        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome);
        Assert.Null(recipient.SuppressionReason);
        Assert.Equal("delayed", recipient.Action);
        Assert.Equal("4.2.2", recipient.Status);
    }

    [Theory]
    [InlineData("alice@example.org", FeedbackOutcome.HardBounce, "failed", "5.1.1")]
    [InlineData("bob@example.net", FeedbackOutcome.SoftBounce, "failed", "4.4.1")] // gave up after retries
    [InlineData("carol@example.com", FeedbackOutcome.SoftBounce, "failed", "5.7.1")] // blocklisted sender, mailbox fine
    [InlineData("dave@example.com", FeedbackOutcome.None, "delivered", "2.0.0")]
    [InlineData("erin@example.com", FeedbackOutcome.None, "relayed", "2.0.0")]
    public void Each_recipient_of_a_mixed_report_gets_its_own_outcome(string address, FeedbackOutcome outcome, string action, string status)
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.PostfixMixedOutcomes);

        Assert.Equal(5, report.Recipients.Count);
        var recipient = report.RecipientFor(address);
        Assert.Equal(outcome, recipient.Outcome);
        Assert.Equal(action, recipient.Action);
        Assert.Equal(status, recipient.Status);
    }

    [Fact]
    public void Original_recipient_is_preferred_over_the_address_a_remote_alias_rewrote_it_to()
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.PostfixAliasedRecipient);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jane@example.org", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Original_recipient_alone_is_enough_and_its_xtext_is_decoded()
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.OriginalRecipientOnly);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("sales+spring@example.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Global_delivery_status_with_a_utf8_address_is_read_and_normalized()
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.GlobalDeliveryStatusUtf8);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jöran@xn--bcher-kva.example", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Utf8_address_escaped_for_a_7bit_report_is_decoded()
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.DeliveryStatusUtf8Escaped);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jöran@xn--bcher-kva.example", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Report_wrapped_in_multipart_mixed_by_a_disclaimer_gateway_is_still_read()
    {
        var report = FeedbackSamples.Parse(EdgeDeliveryStatusSamples.WrappedByDisclaimer);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("left.company@example.biz", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome); // 5.2.1 "Mailbox disabled": suspended, may come back
    }

    [Theory]
    [InlineData("5.1.1", FeedbackOutcome.HardBounce)] // bad destination mailbox
    [InlineData("5.1.2", FeedbackOutcome.HardBounce)] // bad destination domain
    [InlineData("5.1.10", FeedbackOutcome.HardBounce)] // null MX (RFC 7505), Microsoft's "not found"
    [InlineData("5.2.1", FeedbackOutcome.HardBounce)] // mailbox disabled, with "User unknown" in reply to RCPT TO
    [InlineData("5.4.4", FeedbackOutcome.HardBounce)] // unable to route: DNS has no mail route for the domain (RFC 3463 3.5); a failed lookup stays soft
    [InlineData("5.0.0", FeedbackOutcome.HardBounce)] // undefined permanent, old sendmail "user unknown"
    [InlineData("5.2.2", FeedbackOutcome.SoftBounce)] // mailbox full
    [InlineData("5.2.3", FeedbackOutcome.SoftBounce)] // message too long
    [InlineData("5.3.4", FeedbackOutcome.SoftBounce)] // message too big for the system
    [InlineData("5.4.7", FeedbackOutcome.SoftBounce)] // delivery time expired
    [InlineData("5.6.1", FeedbackOutcome.SoftBounce)] // media not supported
    [InlineData("5.7.1", FeedbackOutcome.HardBounce)] // "not authorized", with "User unknown" in reply to RCPT TO and no policy words
    [InlineData("5.7.23", FeedbackOutcome.SoftBounce)] // SPF failure
    [InlineData("5.7.26", FeedbackOutcome.SoftBounce)] // DMARC failure
    [InlineData("4.1.1", FeedbackOutcome.SoftBounce)]
    public void A_failure_is_a_hard_bounce_only_when_the_permanent_code_blames_the_mailbox(string status, FeedbackOutcome outcome)
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown.Replace("Status: 5.1.1", "Status: " + status, StringComparison.Ordinal);

        var recipient = Assert.Single(FeedbackSamples.Parse(raw).Recipients);

        Assert.Equal(outcome, recipient.Outcome);
        Assert.Equal(status, recipient.Status);
    }

    // The Status code and the Diagnostic-Code's reply code and words together, as BounceEvidence
    // decides the refusals the gateway sees itself (issue 17 item 4).
    [Theory]
    [InlineData("5.1.1", "550 5.1.1 <jane.doe@example.org>: User unknown", FeedbackOutcome.HardBounce)]
    [InlineData("5.1.1", "552 5.2.2 Over quota", FeedbackOutcome.SoftBounce)]
    [InlineData("5.1.1", "550 5.7.1 Service unavailable; client IP address blacklisted", FeedbackOutcome.SoftBounce)]
    [InlineData("5.1.8", "550 5.1.8 Sender address rejected: Domain not found", FeedbackOutcome.SoftBounce)]
    [InlineData("5.4.312", "550 5.4.312 Message expired", FeedbackOutcome.SoftBounce)]
    [InlineData("5.0.0", "552 Too many recipients", FeedbackOutcome.SoftBounce)]
    [InlineData("5.0.0", "550 Requested action not taken: mailbox unavailable", FeedbackOutcome.HardBounce)] // in reply to RCPT TO
    [InlineData("5.2.1", "550 5.2.1 Requested action not taken: mailbox unavailable", FeedbackOutcome.SoftBounce)] // disabled
    [InlineData("5.7.1", "550 5.7.1 Service unavailable; client IP address blacklisted. User unknown", FeedbackOutcome.SoftBounce)]
    [InlineData("5.0.0", "550 <jane.doe@example.org>... User unknown", FeedbackOutcome.HardBounce)]
    [InlineData("5.2.1", "550 5.2.1 rate limited, try again later", FeedbackOutcome.SoftBounce)]
    [InlineData("5.2.1", "550 5.2.1 The email account that you tried to reach is disabled", FeedbackOutcome.SoftBounce)]
    [InlineData("5.1.1", "450 4.1.1 Recipient address rejected: lookup failure", FeedbackOutcome.SoftBounce)]
    public void A_failure_is_a_hard_bounce_only_when_status_and_diagnostic_together_prove_the_mailbox_gone(string status, string diagnostic, FeedbackOutcome outcome)
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown
            .Replace("Status: 5.1.1", "Status: " + status, StringComparison.Ordinal)
            .Replace("""
                smtp; 550 5.1.1 <jane.doe@example.org>: Recipient address
                    rejected: User unknown in virtual mailbox table
                """, "smtp; " + diagnostic, StringComparison.Ordinal);
        Assert.Contains(diagnostic, raw, StringComparison.Ordinal);

        var recipient = Assert.Single(FeedbackSamples.Parse(raw).Recipients);

        Assert.Equal(outcome, recipient.Outcome);
    }

    // RFC 2047 5: an encoded word never stands inside an addr-spec (sample lhost-sendmail-25 of the
    // corpus); decoding one would name another mailbox.
    [Fact]
    public void An_encoded_word_in_Final_Recipient_is_not_decoded_into_another_address()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown
            .Replace("Final-Recipient: rfc822; jane.doe@example.org", "Final-Recipient: rfc822; =?utf-8?B?8J+QiPCfkIg=?=@example.org", StringComparison.Ordinal)
            .Replace("Original-Recipient: rfc822;jane.doe@example.org\n", string.Empty, StringComparison.Ordinal);

        var recipient = Assert.Single(FeedbackSamples.Parse(raw).Recipients);

        Assert.StartsWith("=?utf-8?b?", recipient.Address.Value, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\U0001F408", recipient.Address.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_code_followed_by_a_comment_is_read()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown.Replace("Status: 5.1.1", "Status: 5.1.1 (bad destination mailbox address)", StringComparison.Ordinal);

        var recipient = Assert.Single(FeedbackSamples.Parse(raw).Recipients);

        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.1", recipient.Status);
    }

    [Fact]
    public void Missing_action_is_inferred_from_the_status_class()
    {
        var raw = DeliveryStatusSamples.PostfixUserUnknown.Replace("Action: failed\n", string.Empty, StringComparison.Ordinal);

        var recipient = Assert.Single(FeedbackSamples.Parse(raw).Recipients);

        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Null(recipient.Action);
    }
}
