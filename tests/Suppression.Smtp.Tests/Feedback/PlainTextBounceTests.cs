using Suppression.Smtp.Feedback;
using Suppression.Smtp.Feedback.PlainText;

namespace Suppression.Smtp.Tests.Feedback;

public sealed class PlainTextBounceTests
{
    [Fact]
    public void Qmail_bounce_names_each_failed_recipient_with_the_remote_servers_reply()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Qmail);

        Assert.Equal(FeedbackKind.DeliveryStatus, report.Kind);
        Assert.Equal(2, report.Recipients.Count);
        var gone = report.RecipientFor("userunknown@libsisimai.net");
        Assert.Equal(FeedbackOutcome.HardBounce, gone.Outcome);
        Assert.Equal("failed", gone.Action);
        Assert.Equal("5.1.1", gone.Status);
        Assert.StartsWith("550 5.1.1 <userunknown@libsisimai.net>: Recipient address rejected: User unknown.", gone.Diagnostic, StringComparison.Ordinal);
        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("mailboxfull@libsisimai.net").Outcome);
    }

    [Fact]
    public void An_address_in_the_returned_message_is_never_taken()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Qmail);

        Assert.DoesNotContain(report.Recipients, recipient => recipient.Address.Value == "returned.copy@example.org");
        Assert.DoesNotContain(report.Recipients, recipient => recipient.Address.Value == "nekochan@nq.example.jp");
    }

    [Fact]
    public void Exim_reason_wrapped_over_lines_that_repeat_the_address_is_one_recipient()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Exim);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("kijitora@neko.example.co.jp", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.StartsWith("553 5.1.1 unknown or illegal user:", recipient.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void Sendmail_transcript_above_the_recipient_is_its_reason()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Sendmail);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("kijitora@example.org", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.StartsWith("550 <kijitora@example.org>, User Unknown", recipient.Diagnostic, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSmtpd_address_then_reply_lines_are_one_recipient_each()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.OpenSmtpd);

        Assert.Equal(2, report.Recipients.Count);
        Assert.Equal(FeedbackOutcome.HardBounce, report.RecipientFor("userunknown@libsisimai.net").Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("mailboxfull@libsisimai.net").Outcome);
    }

    [Fact]
    public void Exchange_2003_recipient_is_read_and_the_original_headers_above_it_are_not()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Exchange2003);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("kijitora@example.co.jp", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Gmail_reply_two_paragraphs_under_the_address_is_its_reason()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Gmail);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("userunknown@example.jp", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("550 5.1.1 <userunknown@example.jp>... User Unknown", recipient.Diagnostic);
    }

    [Fact]
    public void Office_365_notice_reads_the_remote_reply_for_administrators_and_the_returned_message_id()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.Office365);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("kijitora@example.onmicrosoft.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", recipient.Diagnostic);
        Assert.Equal("returned.office@example.jp", report.OriginalMessageId);
    }

    [Fact]
    public void DragonFly_sentence_names_the_recipient_and_the_paragraph_below_says_why()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.DragonFly);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("userunknown@libsisimai.net", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal(RefusalStage.RcptTo, ServerReply.StageIn("did not like our RCPT TO: " + recipient.Diagnostic));
    }

    [Theory]
    [InlineData(PlainTextBounceSamples.Exchange2010)]
    [InlineData(PlainTextBounceSamples.GmailAddressNotFound)]
    public void Current_exchange_and_gmail_notices_name_the_recipient_and_the_remote_reply(string raw)
    {
        var report = FeedbackSamples.Parse(raw);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jo.martin@example.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.1", recipient.Status);
    }

    [Fact]
    public void A_notice_sent_only_as_an_attachment_is_read()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.McAfee);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("kijitora-nyaan@example.co.jp", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void A_report_whose_boundary_matches_no_part_is_read_from_its_preamble_up_to_the_returned_message()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.BrokenBoundary);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("mikeneko@neko.example.or.jp", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void Amazon_ses_json_notification_names_its_bounced_recipients_only()
    {
        var report = FeedbackSamples.Parse(PlainTextBounceSamples.AmazonSes);

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("bounce@simulator.amazonses.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Equal("550 5.1.1 user unknown", recipient.Diagnostic);
    }

    [Fact]
    public void Amazon_ses_permanent_bounce_type_alone_is_not_a_hard_bounce()
    {
        var raw = PlainTextBounceSamples.AmazonSes
            .Replace("\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"", "\"status\":\"5.2.2\",\"diagnosticCode\":\"smtp; 552 5.2.2 Mailbox full\"", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(report.Recipients).Outcome);
    }

    [Fact]
    public void Amazon_ses_permanent_bounce_of_another_subtype_is_soft()
    {
        var raw = PlainTextBounceSamples.AmazonSes.Replace("\"bounceSubType\":\"General\"", "\"bounceSubType\":\"OnAccountSuppressionList\"", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(report.Recipients).Outcome);
    }

    [Theory]
    [InlineData("|/usr/local/bin/procmail:")]
    [InlineData("/var/mail/kijitora:")]
    [InlineData("<@mx.example.org>:")]
    [InlineData("<kijitora@>:")]
    [InlineData("<\"|/usr/bin/procmail\"@mx.example.org>:")]
    [InlineData("\"/var/mail/kijitora\"@mx.example.org:")]
    [InlineData("<\":include:/etc/mail/list\"@mx.example.org>:")]
    public void A_pipe_a_path_or_a_host_is_never_taken_for_a_recipient(string line)
    {
        var raw = PlainTextBounceSamples.Qmail
            .Replace("<userunknown@libsisimai.net>:", line, StringComparison.Ordinal)
            .Replace("<mailboxfull@libsisimai.net>:", line, StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Empty(report.Recipients);
        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
    }

    // lhost-exim-08.eml: Exim names the sender above the failed addresses.
    [Fact]
    public void The_sender_a_notice_names_is_not_taken_for_a_recipient()
    {
        var raw = PlainTextBounceSamples.Exim.Replace(
            "A message that you sent could not be delivered to all of its recipients. The",
            "A message sent by\n\n  <shironeko@example.org>\n\ncould not be delivered to all of its recipients. The", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.Equal("kijitora@neko.example.co.jp", Assert.Single(report.Recipients).Address.Value);
    }

    // lhost-fml-02.eml: a list robot's answer has an address on a line of its own, and no failure.
    [Fact]
    public void An_address_alone_on_a_line_of_a_message_that_reports_no_failure_is_not_read()
    {
        var report = FeedbackSamples.Parse("""
            From: neko-nyaan-admin@example.org
            To: bounces@gateway.example
            Subject: Re: Nyaan

            If you know the general guide of this list, please send mail with
            the mail body "guide" to the address

                neko-nyaan-ctl@example.org

            where guide is equal to GUIDE for case insensitive.
            """);

        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
        Assert.Empty(report.Recipients);
    }

    [Fact]
    public void An_auto_reply_naming_a_colleague_on_a_line_of_its_own_is_not_a_bounce()
    {
        var report = FeedbackSamples.Parse("""
            From: Ana Lopez <ana.lopez@example.org>
            To: bounces@gateway.example
            Subject: Automatic reply: Your June newsletter
            Auto-Submitted: auto-replied

            I am out of the office until 10 June and unable to answer. For anything urgent, please write to

                jo.martin@example.org

            Thank you.
            """);

        Assert.Equal(FeedbackKind.Unrecognized, report.Kind);
        Assert.Empty(report.Recipients);
    }

    [Fact]
    public void An_encoded_word_in_an_address_is_not_decoded()
    {
        var raw = PlainTextBounceSamples.OpenSmtpd.Replace("userunknown@libsisimai.net:", "=?utf-8?Q?kijitora?=@libsisimai.net:", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.DoesNotContain(report.Recipients, recipient => recipient.Address.Value == "kijitora@libsisimai.net");
    }

    [Fact]
    public void A_delay_warning_is_never_a_hard_bounce()
    {
        var raw = PlainTextBounceSamples.OpenSmtpd.Replace(
            "An error has occurred while attempting to deliver a message for",
            "A message is delayed for more than 4 hours for the following", StringComparison.Ordinal);

        var report = FeedbackSamples.Parse(raw);

        Assert.All(report.Recipients, recipient => Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome));
        Assert.All(report.Recipients, recipient => Assert.Equal("delayed", recipient.Action));
    }

    [Fact]
    public void More_recipients_than_allowed_make_the_bounce_malformed_and_none_is_read()
    {
        var report = FeedbackReportParser.Parse(FeedbackSamples.Load(PlainTextBounceSamples.OpenSmtpd), maxRecipients: 1);

        Assert.Equal(FeedbackKind.Malformed, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains("MaxReportRecipients", report.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SMTP error from remote mail server after RCPT TO:<a@example.org>: 550 5.1.1 unknown", RefusalStage.RcptTo)]
    [InlineData("host mx.example.org said: 550 5.1.1 User unknown (in reply to RCPT TO command)", RefusalStage.RcptTo)]
    [InlineData("192.0.2.25 does not like recipient. Remote host said: 550 5.1.1 User unknown", RefusalStage.RcptTo)]
    [InlineData(">>> RCPT To:<a@example.org> <<< 550 User unknown", RefusalStage.RcptTo)]
    [InlineData("SMTP error from remote mail server after end of data: 550 5.1.1 User unknown", RefusalStage.Data)]
    [InlineData(">>> RCPT To:<a@example.org> <<< 250 OK >>> DATA <<< 550 5.1.1 User unknown", RefusalStage.Data)]
    [InlineData("-------server message 550 unknown user <a@example.org> -------SMTP command DATA", RefusalStage.Data)]
    [InlineData("Connected to 192.0.2.25 but sender was rejected. Remote host said: 553 sorry", RefusalStage.MailFrom)]
    [InlineData("SMTP:RCPT host 192.0.2.8: 553 5.3.0 <a@example.org>... No such user here", RefusalStage.RcptTo)]
    [InlineData("550 5.1.1 User unknown", RefusalStage.Unknown)]
    public void The_command_a_refusal_answered_is_the_last_one_the_text_names(string text, RefusalStage stage)
    {
        Assert.Equal(stage, ServerReply.StageIn(text));
    }
}
