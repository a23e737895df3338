using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

// Issue 17 item 4: the command a refusal answered, read from the report's words around the
// recipient, decides "user unknown" under a code that is not about the address; groups without the
// blank line between them; the report's own words as the reason when a group has no Diagnostic-Code.
// The texts are those of real reports in tests/corpus/feedback (named on each test), shortened.
public sealed class DeliveryStatusStageTests
{
    private static string Report(string humanText, string statusGroups, string reportType = "delivery-status") => $"""
        From: MAILER-DAEMON@mx1.relay.example (Mail Delivery System)
        To: bounces@gateway.example
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type={reportType}; boundary="b-1"

        --b-1
        Content-Type: text/plain; charset=utf-8

        {humanText}

        --b-1
        Content-Type: message/{reportType}

        Reporting-MTA: dns; mx1.relay.example

        {statusGroups}

        --b-1--
        """;

    private const string UserUnknownGroup = """
        Final-Recipient: rfc822; jane.doe@example.org
        Action: failed
        Status: 5.0.0
        Diagnostic-Code: smtp; 550 <jane.doe@example.org>: User unknown
        """;

    // Postfix: lhost-postfix-36.eml (RCPT TO, the reference's userunknown) and lhost-postfix-35.eml
    // (end of DATA, the reference's filtered), with Exim's and Sendmail's forms of the same.
    [Theory]
    [InlineData("<jane.doe@example.org>: host mx.example.org[192.0.2.25] said: 550\n    <jane.doe@example.org>: User unknown (in reply to\n    RCPT TO command)", FeedbackOutcome.HardBounce)]
    [InlineData("<jane.doe@example.org>: host mx.example.org[192.0.2.25] said: 550 :\n    User unknown (in reply to end of DATA command)", FeedbackOutcome.SoftBounce)]
    [InlineData("  jane.doe@example.org\n    SMTP error from remote mail server after RCPT TO:<jane.doe@example.org>:\n    host mx.example.org [192.0.2.25]: 550 User unknown", FeedbackOutcome.HardBounce)]
    [InlineData("  jane.doe@example.org\n    SMTP error from remote mail server after end of data:\n    host mx.example.org [192.0.2.25]: 550 User unknown", FeedbackOutcome.SoftBounce)]
    [InlineData("... while talking to mx.example.org.:\n>>> RCPT To:<jane.doe@example.org>\n<<< 550 <jane.doe@example.org>: User unknown", FeedbackOutcome.HardBounce)]
    [InlineData("... while talking to mx.example.org.:\n>>> DATA\n<<< 550 <jane.doe@example.org>: User unknown\n554 5.0.0 Service unavailable", FeedbackOutcome.SoftBounce)]
    [InlineData("Delivery to the following recipient failed permanently:\n\n     jane.doe@example.org", FeedbackOutcome.SoftBounce)]
    public void User_unknown_under_status_5_0_0_is_a_hard_bounce_only_in_answer_to_rcpt_to(string humanText, FeedbackOutcome outcome)
    {
        var recipient = Assert.Single(FeedbackSamples.Parse(Report(humanText, UserUnknownGroup)).Recipients);

        Assert.Equal(outcome, recipient.Outcome);
    }

    // Exchange Online's 5.1.351 wraps the next server's answer to RCPT TO (lhost-office365-09.eml,
    // the reference's userunknown); without the arrow and an address it says nothing of the stage.
    [Theory]
    [InlineData("550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> 550 Unknown user jane.doe@example.org", FeedbackOutcome.HardBounce)]
    [InlineData("550 5.1.351 Remote server returned unknown recipient or mailbox unavailable", FeedbackOutcome.SoftBounce)]
    public void Microsofts_relayed_refusal_answered_rcpt_to(string diagnostic, FeedbackOutcome outcome)
    {
        var group = $"""
            Final-Recipient: rfc822;jane.doe@example.org
            Action: failed
            Status: 5.1.351
            Diagnostic-Code: smtp;{diagnostic}
            """;

        var recipient = Assert.Single(FeedbackSamples.Parse(Report("Delivery has failed to these recipients or groups:", group)).Recipients);

        Assert.Equal(outcome, recipient.Outcome);
    }

    [Fact]
    public void A_transcript_refusing_another_recipient_at_rcpt_is_not_taken_for_this_one()
    {
        var humanText = "... while talking to mx.example.org.:\n>>> RCPT To:<other@example.org>\n<<< 550 <jane.doe@example.org>: User unknown";

        var recipient = Assert.Single(FeedbackSamples.Parse(Report(humanText, UserUnknownGroup)).Recipients);

        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome);
    }

    // RFC 3464 2.1 wants a blank line before each per-recipient group; some MTAs leave it out, and a
    // repeated Final-Recipient (or Action, Status) then begins the next recipient.
    [Fact]
    public void Groups_without_a_blank_line_between_them_are_each_read()
    {
        var groups = """
            Final-Recipient: rfc822; gone@example.org
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>... User unknown
            Final-Recipient: rfc822; full@example.org
            Action: failed
            Status: 5.2.2
            Diagnostic-Code: smtp; 552 5.2.2 <full@example.org>... Mailbox full
            Final-Recipient: rfc822; later@example.org
            Action: delayed
            Status: 4.4.1
            """;

        var report = FeedbackSamples.Parse(Report("Delivery failed.", groups));

        Assert.Equal(3, report.Recipients.Count);
        Assert.Equal(FeedbackOutcome.HardBounce, report.RecipientFor("gone@example.org").Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("full@example.org").Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("later@example.org").Outcome);
    }

    // An Original-Recipient between two groups run together belongs to either; read by it, the
    // first recipient's failure could land on another address. Each group is read by its Final-Recipient.
    [Fact]
    public void An_original_recipient_between_two_groups_run_together_is_given_to_neither()
    {
        var groups = """
            Final-Recipient: rfc822; full@example.org
            Action: failed
            Status: 5.2.2
            Original-Recipient: rfc822; gone@example.org
            Final-Recipient: rfc822; gone@example.org
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>... User unknown
            """;

        var report = FeedbackSamples.Parse(Report("Delivery failed.", groups));

        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("full@example.org").Outcome);
        Assert.Equal(FeedbackOutcome.HardBounce, report.RecipientFor("gone@example.org").Outcome);
    }

    // RFC 6533: a global DSN with a UTF-8 address, its stage found next to the same address in the text.
    [Fact]
    public void A_global_delivery_status_is_read_with_the_stage_next_to_its_utf8_address()
    {
        var groups = """
            Final-Recipient: utf-8; Jöran@Bücher.example
            Action: failed
            Status: 5.0.0
            Diagnostic-Code: smtp; 550 <Jöran@Bücher.example>: User unknown
            """;
        var humanText = "<Jöran@Bücher.example>: host mx.bücher.example[192.0.2.5] said: 550\n    <Jöran@Bücher.example>: User unknown (in reply to RCPT TO command)";

        var report = FeedbackSamples.Parse(Report(humanText, groups, "global-delivery-status"));

        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jöran@xn--bcher-kva.example", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    // RFC 3464 2.3.6: X-UNIX is a local program's exit status, here procmail's (lhost-postfix-01.eml,
    // the reference's mailererror), whatever Status the MTA mapped it to.
    [Fact]
    public void A_diagnostic_of_type_x_unix_is_no_hard_bounce()
    {
        var groups = """
            Final-Recipient: rfc822; jane.doe@example.org
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: X-Postfix; procmail: Couldn't create "/var/spool/mail/jane" No such user
            """;
        var unix = groups.Replace("X-Postfix;", "X-UNIX;", StringComparison.Ordinal);

        Assert.Equal(FeedbackOutcome.HardBounce, Assert.Single(FeedbackSamples.Parse(Report("Delivery failed.", groups)).Recipients).Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(FeedbackSamples.Parse(Report("Delivery failed.", unix)).Recipients).Outcome);
    }

    // No Diagnostic-Code: the lines next to the recipient's address give the reason, and only those.
    [Fact]
    public void Without_a_diagnostic_the_words_next_to_the_address_are_read_and_no_others()
    {
        var groups = """
            Final-Recipient: rfc822; gone@example.org
            Action: failed
            Status: 5.1.0

            Final-Recipient: rfc822; other@example.org
            Action: failed
            Status: 5.1.0
            """;
        var humanText = "<gone@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.0\n    <gone@example.org>: Recipient address rejected: User unknown in local recipient table\n\n<other@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.0\n    Message refused";

        var report = FeedbackSamples.Parse(Report(humanText, groups));

        Assert.Equal(FeedbackOutcome.HardBounce, report.RecipientFor("gone@example.org").Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, report.RecipientFor("other@example.org").Outcome);
    }

    // Local delivery targets that MTAs name in Final-Recipient (Postfix "|/usr/bin/procmail",
    // "/var/mail/jane", Sendmail's "@host" for an empty local part): none is a mailbox to suppress.
    [Theory]
    [InlineData("rfc822; |/usr/bin/procmail")]
    [InlineData("rfc822; \"|/usr/local/bin/deliver -a jane\"@mx.example.org")]
    [InlineData("rfc822; /var/mail/jane")]
    [InlineData("rfc822; \"/var/mail/jane\"@mx.example.org")]
    [InlineData("rfc822; @mx.example.org")]
    [InlineData("x-local; jane")]
    public void A_recipient_that_is_not_a_mailbox_is_never_suppressed(string finalRecipient)
    {
        var groups = $"""
            Final-Recipient: {finalRecipient}
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 User unknown
            """;

        var report = FeedbackSamples.Parse(Report("Delivery failed.", groups));

        Assert.DoesNotContain(report.Recipients, recipient => recipient.Outcome == FeedbackOutcome.HardBounce);
    }

    // lhost-ezweb-02.eml: a report about one recipient whose text says the account is disabled (the
    // reference's suspend) over "550 user unknown (in reply to RCPT TO command)".
    [Fact]
    public void Words_of_a_one_recipient_report_that_say_disabled_or_full_veto_a_hard_bounce()
    {
        var humanText = "The user(s) account is disabled.\n\n\n<jane.doe@example.org>: 550 user unknown (in reply to RCPT TO command)";

        var recipient = Assert.Single(FeedbackSamples.Parse(Report(humanText, UserUnknownGroup)).Recipients);

        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome);
    }
}
