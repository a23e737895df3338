using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

// Issue 17: a reporting MTA whose own message table says the recipient is unknown (sisimai's
// Lhost modules) checked the recipient itself, which is as good as a refusal of RCPT TO; the same
// words from a system not known here, with no command named, stay soft. The texts are those of real
// bounces in tests/corpus/feedback (named on each test), shortened.
public sealed class ReportingSystemTests
{
    // ISO-2022-JP's escape (RFC 1468), written <ESC> in the samples below.
    private const string Escape = "\u001b";

    // lhost-mcafee-01.eml: the notice is an attachment of a multipart/mixed, not a report.
    private static string McAfee(string markerField) => $"""
        From: <MAILER-DAEMON@smtp6.example.ne.jp>
        To: <bounces@gateway.example>
        Subject: Delivery Status
        {markerField}
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b-1"

        --b-1
        Content-Type: text/plain; name="deliveryproblems.txt"

            --- The following addresses had delivery problems ---

        <jane.doe@example.org>   (Unknown user jane.doe@example.org)

        --b-1--
        """;

    // lhost-imailserver-03.eml
    private static string IMail(string xMailer) => $"""
        From: "Postmaster" <postmaster@example.net>
        To: <bounces@gateway.example>
        Subject: Undeliverable Mail
        X-Mailer: {xMailer}
        Content-Type: text/plain; charset=us-ascii

        Invalid final delivery userid: jane.doe@example.org


        Original message follows.

        To: <jane.doe@example.org>
        """;

    // lhost-powermta-01.eml
    private static string PowerMta(string diagnostic, string category) => $"""
        From: postmaster@mail22.relay.example
        To: bounces@gateway.example
        Subject: Delivery report
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b-1"

        --b-1

        Hello, this is the mail server on mail22.relay.example.

          <jane.doe@example.org>  delivery failed; will not continue trying

        --b-1
        Content-Type: message/delivery-status

        Reporting-MTA: dns;mail22.relay.example

        Final-Recipient: rfc822;jane.doe@example.org
        Action: failed
        Status: 5.2.1 (mailbox disabled, not accepting messages)
        Diagnostic-Code: smtp;{diagnostic}
        {category}

        --b-1--
        """;

    // rhost-messagelabs-02.eml and -03.eml
    private static string MessageLabs(string diagnostic) => $"""
        X-Msg-Ref: server-00.tower-000.messagelabs.com!0000000022!22222222!2
        From: Mail Delivery System <MAILER-DAEMON@messagelabs.com>
        To: <bounces@gateway.example>
        Subject: Mail Delivery Failure
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b-1"

        --b-1
        Content-Type: text/plain; charset="UTF-8"

        This is the mail delivery agent at messagelabs.com.

        --b-1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; server-00.bemta-0.messagelabs.com

        Action: failed
        Status: 5.0.0
        Diagnostic-Code: smtp; {diagnostic}
        Final-Recipient: rfc822; jane.doe@example.org

        --b-1--
        """;

    // rhost-gsuite-02.eml: a Google Workspace DSN without a Diagnostic-Code; the notice's own
    // template decides. Its other template also covers a recipient's filter (rfc3464-57.eml).
    private static string GoogleWorkspace(string stateField, string template) => $"""
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounces@gateway.example
        Subject: Delivery Status Notification (Failure)
        {stateField}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b-1"

        --b-1
        Content-Type: text/plain; charset="UTF-8"


        ** Address not found **

        Your message wasn't delivered to jane.doe@example.org {template}

        --b-1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; googlemail.com

        Final-Recipient: rfc822; jane.doe@example.org
        Action: failed
        Status: 5.0.0

        --b-1--
        """;

    [Theory]
    [InlineData("X-Gm-Message-State: AFeK/H2x", "because the address couldn't be found. Check for typos or unnecessary spaces and try again.", FeedbackOutcome.HardBounce)]
    [InlineData("X-Gm-Message-State: AFeK/H2x", "because the address couldn't be found, or is unable to receive mail.", FeedbackOutcome.SoftBounce)]
    [InlineData("X-Mailer: Some Gateway 1.0", "because the address couldn't be found. Check for typos or unnecessary spaces and try again.", FeedbackOutcome.SoftBounce)]
    public void Google_workspaces_address_not_found_template_is_a_hard_bounce_only_from_google(string stateField, string template, FeedbackOutcome outcome)
    {
        var recipient = Assert.Single(FeedbackSamples.Parse(GoogleWorkspace(stateField, template)).Recipients);

        Assert.Equal(outcome, recipient.Outcome);
    }

    [Fact]
    public void McAfee_gateway_saying_unknown_user_is_a_hard_bounce()
    {
        var recipient = Assert.Single(FeedbackSamples.Parse(McAfee("X-NAI-Header: Modified by McAfee Email and Web Security Appliance")).Recipients);

        Assert.Equal("jane.doe@example.org", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Fact]
    public void The_same_words_from_a_system_not_known_here_stay_soft()
    {
        var recipient = Assert.Single(FeedbackSamples.Parse(McAfee("X-Mailer: Some Gateway 1.0")).Recipients);

        Assert.Equal(FeedbackOutcome.SoftBounce, recipient.Outcome);
    }

    [Fact]
    public void IMail_invalid_final_delivery_userid_is_a_hard_bounce_only_from_imail()
    {
        Assert.Equal(FeedbackOutcome.HardBounce, Assert.Single(FeedbackSamples.Parse(IMail("<SMTP32 v8.12>")).Recipients).Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(FeedbackSamples.Parse(IMail("Other Mailer 8.12")).Recipients).Outcome);
    }

    [Fact]
    public void PowerMta_bad_mailbox_category_makes_user_unknown_a_hard_bounce()
    {
        const string Diagnostic = "550 5.2.1 <jane.doe@example.org>... User Unknown";

        Assert.Equal(FeedbackOutcome.HardBounce, Assert.Single(FeedbackSamples.Parse(PowerMta(Diagnostic, "X-PowerMTA-BounceCategory: bad-mailbox")).Recipients).Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(FeedbackSamples.Parse(PowerMta(Diagnostic, "X-PowerMTA-BounceCategory: policy-related")).Recipients).Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(FeedbackSamples.Parse(PowerMta(Diagnostic, string.Empty)).Recipients).Outcome);
    }

    [Fact]
    public void A_full_mailbox_wins_over_the_reporters_category()
    {
        var report = FeedbackSamples.Parse(PowerMta("552 5.2.2 <jane.doe@example.org>... Mailbox full", "X-PowerMTA-BounceCategory: bad-mailbox"));

        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(report.Recipients).Outcome);
    }

    [Fact]
    public void MessageLabs_no_such_user_is_a_hard_bounce_and_a_bare_rejection_is_not()
    {
        Assert.Equal(FeedbackOutcome.HardBounce, Assert.Single(FeedbackSamples.Parse(MessageLabs("550 jane.doe@example.org... No such user")).Recipients).Outcome);
        Assert.Equal(FeedbackOutcome.SoftBounce, Assert.Single(FeedbackSamples.Parse(MessageLabs("542 jane.doe@example.org Rejected")).Recipients).Outcome);
    }

    // lhost-verizon-02.eml: no mailer-daemon, no bounce words; the envelope recipient under "RCPT TO:".
    [Fact]
    public void Verizon_notice_names_the_envelope_recipient_and_its_no_such_user_is_a_hard_bounce()
    {
        const string Notice = """
            Received: from cattower.vtext.com ([192.0.2.222])
            	by mx.gateway.example with ESMTP; 29 Apr 2012 23:34:45 -0000
            From: post_master@vtext.com
            To: bounces@gateway.example
            Subject: Re:Nyaan
            Content-Type: text/plain; charset=us-ascii

            Error: Invalid user address

            Error message below:
            550 - Requested action not taken: no such user here

            Message details:
              Subject: Test message
              MAIL FROM: bounces@gateway.example
              RCPT TO: 5555550100@vtext.com
              From: sender@gateway.example
            """;

        var recipient = Assert.Single(FeedbackSamples.Parse(Notice).Recipients);

        Assert.Equal("5555550100@vtext.com", recipient.Address.Value);
        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    // lhost-domino-02.eml: Domino writes its Japanese diagnostic as raw ISO-2022-JP in the field.
    [Fact]
    public void Domino_japanese_diagnostic_in_raw_iso_2022_jp_is_decoded_and_read()
    {
        const string Report = """
            From: Postmaster@example.co.jp
            To: bounces@gateway.example
            Subject: DELIVERY FAILURE:
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b-1"

            --b-1
            Content-Type: text/plain; charset=ISO-2022-JP

            Your message

            --b-1
            Content-Type: message/delivery-status

            Reporting-MTA: dns;mx.example.co.jp

            Final-Recipient: rfc822;jane.doe@example.co.jp
            Action: failed
            Status: 5.0.0
            Diagnostic-Code: X-Notes; <ESC>$B%f!<%6!<<ESC>(BJane (jane.doe@example.co.jp) <ESC>$B$O<ESC>(B Domino <ESC>$B%G%#%l%/%H%j$K$O8+$D$+$j$^$;$s!#<ESC>(B
            --b-1--
            """;

        var recipient = Assert.Single(FeedbackSamples.Parse(Report.Replace("<ESC>", Escape, StringComparison.Ordinal)).Recipients);

        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
        Assert.Contains("Domino ディレクトリには見つかりません", recipient.Diagnostic, StringComparison.Ordinal);
    }

    // lhost-notes-02.eml: the whole notice is charset=ISO-2022-JP.
    [Fact]
    public void Notes_japanese_notice_is_decoded_and_read()
    {
        const string Notice = """
            Return-Path: <>
            From: postmaster@n.example.co.jp
            To: bounces@gateway.example
            Subject: Undeliverable message
            MIME-Version: 1.0
            Content-Type: text/plain; charset=ISO-2022-JP

            ------- Failure Reasons  --------

            <ESC>$B%G%#%l%/%H%j$N%j%9%H$K$"$j$^$;$s<ESC>(B
            jane.doe@example.co.jp

            ------- Returned Message --------
            """;

        var recipient = Assert.Single(FeedbackSamples.Parse(Notice.Replace("<ESC>", Escape, StringComparison.Ordinal)).Recipients);

        Assert.Equal(FeedbackOutcome.HardBounce, recipient.Outcome);
    }

    [Theory]
    [InlineData("550 Unknown user jane.doe@example.org", RefusalCause.MailboxGone)]
    [InlineData("552 Mailbox full", RefusalCause.MailboxFull)]
    [InlineData("550 Blocked by policy", RefusalCause.Policy)]
    public void A_reporters_word_counts_after_every_other_cause(string text, RefusalCause cause)
    {
        Assert.Equal(cause, BounceEvidence.Judge(null, null, text, RefusalStage.Unknown, reporterSaysRecipientUnknown: true));
    }
}
