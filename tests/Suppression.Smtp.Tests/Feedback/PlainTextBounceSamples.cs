namespace Suppression.Smtp.Tests.Feedback;

// Plain-text bounces as real MTAs write them, shortened from tests/corpus/feedback (sisimai's
// set-of-emails, BSD-2-Clause; the sample each comes from is named above it). Only the notice's own
// text may name a failed recipient; each returned copy names other addresses on purpose.
public static class PlainTextBounceSamples
{
    // lhost-qmail-17.eml: two recipients refused at RCPT, one unknown, one over quota.
    public const string Qmail = """
        Return-Path: <>
        Date: 24 Jun 2024 09:04:01 -0000
        From: MAILER-DAEMON@nq.example.jp
        To: bounces@gateway.example
        Subject: failure notice

        Hi. This is the qmail-send program at nq.example.jp.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <userunknown@libsisimai.net>:
        192.0.2.25 does not like recipient.
        Remote host said: 550 5.1.1 <userunknown@libsisimai.net>: Recipient address rejected: User unknown.
        Giving up on 192.0.2.25.

        <mailboxfull@libsisimai.net>:
        192.0.2.25 does not like recipient.
        Remote host said: 552 5.2.2 <mailboxfull@libsisimai.net>: Recipient address rejected: Mailbox full.
        Giving up on 192.0.2.25.

        --- Below this line is a copy of the message.

        Return-Path: <kijitora@nq.example.jp>
        From: kijitora@nq.example.jp
        To: nekochan@nq.example.jp
        Subject: Nyaan?

        <returned.copy@example.org>:
        Remote host said: 550 5.1.1 User unknown
        """;

    // lhost-exim-05.eml: the reason wrapped over indented lines that repeat the address.
    public const string Exim = """
        From: Mail Delivery System <Mailer-Daemon@mx4.example.org>
        To: bounces@gateway.example
        Subject: Mail delivery failed: returning message to sender

        This message was created automatically by mail delivery software.

        A message that you sent could not be delivered to all of its recipients. The
        following address(es) failed:

          kijitora@neko.example.co.jp:
            SMTP error from remote mailer after RCPT TO:
            <kijitora@neko.example.co.jp>:
            host mx49.neko.example.co.jp [192.0.2.82]:
            553 5.1.1 unknown or illegal user:
            kijitora@neko.example.co.jp

        ----- This is a copy of the message, including all the headers. ------

        Return-path: <shironeko@example.org>
        From: Shironeko <shironeko@example.org>
        To: kijitora@example.org
        Subject: Nyaaan
        """;

    // lhost-v5sendmail-03.eml: the SMTP dialogue above the recipient it concerns.
    public const string Sendmail = """
        From: Mail Delivery Subsystem <MAILER-DAEMON@example.jp>
        To: bounces@gateway.example
        Subject: Returned mail: User unknown

           ----- Transcript of session follows -----
        While talking to smtp.example.com:
        >>> RCPT To:<kijitora@example.org>
        <<< 550 <kijitora@example.org>, User Unknown
        550 <kijitora@example.org>... User unknown
        421 example.org (smtp)... Deferred: Connection timed out during user open with example.org

           ----- Unsent message follows -----
        From: webmaster@example.com
        To: kijitora@example.org, other@example.org
        Subject: Nyaaan
        """;

    // lhost-opensmtpd-17.eml: "address: reply" lines.
    public const string OpenSmtpd = """
        From: Mailer Daemon <MAILER-DAEMON@smtpd.example.jp>
        To: bounces@gateway.example
        Subject: Delivery status notification: error

            Hi!

            This is the MAILER-DAEMON, please DO NOT REPLY to this email.

            An error has occurred while attempting to deliver a message for
            the following list of recipients:

        userunknown@libsisimai.net: 550 5.1.1 <userunknown@libsisimai.net>: Recipient address rejected: User unknown
        mailboxfull@libsisimai.net: 552 5.2.2 <mailboxfull@libsisimai.net>: Recipient address rejected: Mailbox full

            Below is a copy of the original message:

        From: kijitora@smtpd.example.jp
        To: userunknown@libsisimai.net
        """;

    // lhost-exchange2003-02.eml: "address on date", then indented lines.
    public const string Exchange2003 = """
        From: System Administrator <postmaster@example.co.jp>
        To: bounces@gateway.example
        Subject: Undeliverable: email bounce
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        Your message

          To:      shironeko@example.jp
          Subject: email bounce
          Sent:    Thu, 29 Apr 2007 16:51:29 -0500

        did not reach the following recipient(s):

        kijitora@example.co.jp on Thu, 29 Apr 2007 16:51:51 -0500
            The recipient name is not recognized
            MSEXCH:IMS:KIJITORA CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient
        """;

    // lhost-gmail-01.eml: the server's reply two paragraphs under the address.
    public const string Gmail = """
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounces@gateway.example
        Subject: Delivery Status Notification (Failure)

        Delivery to the following recipient failed permanently:

             userunknown@example.jp

        Technical details of permanent failure:
        Google tried to deliver your message, but it was rejected by the server for the recipient domain example.jp by mx.example.jp. [192.0.2.153].

        The error that the other server returned was:
        550 5.1.1 <userunknown@example.jp>... User Unknown

        ----- Original message -----

        From: sender@gmail.com
        To: userunknown@example.jp, copied@example.jp
        """;

    // lhost-amazonses-09.eml: the JSON notification of an SNS e-mail subscription.
    public const string AmazonSes = """
        From: AWS Notifications <no-reply@sns.amazonaws.com>
        To: bounces@gateway.example
        Subject: AWS Notification Message
        Content-Type: text/plain; charset=UTF-8

        {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"bounce@simulator.amazonses.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"reportingMTA":"dsn; a27-23.smtp-out.us-west-2.amazonses.com"},"mail":{"source":"kijitora@neko.example.org","destination":["bounce@simulator.amazonses.com","other@example.org"]}}

        --
        If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:
        https://sns.us-west-2.amazonaws.com/unsubscribe.html
        """;

    // lhost-office365-02.eml: Exchange Online's notice, the address with its mailto link, and the
    // remote server's reply further down for administrators.
    public const string Office365 = """
        From: Microsoft Outlook <postmaster@example.onmicrosoft.com>
        To: bounces@gateway.example
        Subject: Undeliverable: Nyaan
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="office"

        --office
        Content-Type: text/plain; charset=us-ascii

        Delivery has failed to these recipients or groups:

        kijitora@example.onmicrosoft.com<mailto:kijitora@example.onmicrosoft.com>
        The email address you entered couldn't be found. Check the recipient's email address then try to resend the message.

        Diagnostic information for administrators:

        Generating server: NEKOCHAN.example.prod.outlook.com

        kijitora@example.onmicrosoft.com
        Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

        Original message headers:

        To: "Kijitora" <kijitora@example.org>

        --office
        Content-Type: message/rfc822

        From: <sironeko@example.jp>
        To: "Kijitora" <kijitora@example.org>
        Message-ID: <returned.office@example.jp>
        Subject: Nyaan

        Nyaan
        --office--
        """;

    // lhost-dragonfly-24.eml: the address in a sentence, the reply in the paragraph below.
    public const string DragonFly = """
        From: MAILER-DAEMON@df.example.jp
        To: bounces@gateway.example
        Subject: Mail delivery failed

        This is the DragonFly Mail Agent v0.13 at df.example.jp.

        There was an error delivering your mail to <userunknown@libsisimai.net>.

        mail-inbound.libsisimai.net [192.0.2.25] did not like our RCPT TO:
        550 5.1.1 <userunknown@libsisimai.net>: Recipient address rejected: User unknown

        Message headers follow.

        To: <userunknown@libsisimai.net>, <copied@libsisimai.net>
        From: <kijitora@df.example.jp>
        """;

    // lhost-mcafee-05.eml: the notice only as an attachment, beside a message/delivery-status part
    // in a multipart/mixed (no multipart/report).
    public const string McAfee = """
        From: postmaster@cat.example.co.jp
        To: bounces@gateway.example
        Subject: Delivery Status Notification
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="mcafee"

        --mcafee
        Content-Type: text/plain; name="deliveryproblems.txt"
        Content-Disposition: attachment; filename="deliveryproblems.txt"

            --- The following addresses had delivery problems ---

        <kijitora-nyaan@example.co.jp>   (5.1.1 <kijitora-nyaan@example.co.jp>... User unknown)

        --mcafee
        Content-Type: message/rfc822
        Content-Disposition: attachment

        From: shironeko@example.jp
        To: kijitora-nyaan@example.co.jp, other@example.co.jp
        Subject: Nyaan

        Nyaan
        --mcafee--
        """;

    // rfc3464-35.eml: a multipart/report whose boundary lines match no part (a space before the
    // dashes), so MimeKit holds all of it as the preamble.
    public const string BrokenBoundary = """
        From: MAILER-DAEMON@neko.example.org
        To: bounces@gateway.example
        Subject: Returned mail: User unknown
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="RAA14128.773615765/neko.example.org"

         --RAA14128.773615765/neko.example.org
        content-type: text/plain; charset=us-ascii

               ----- The following addresses had delivery problems -----
        <mikeneko@neko.example.or.jp>  (unrecoverable error: 550 5.1.1 user unknown)

         --RAA14128.773615765/neko.example.org
        content-type: message/rfc822

        To: mikeneko@neko.example.or.jp, returned.copy@neko.example.or.jp
        <returned.copy@neko.example.or.jp>  (unrecoverable error: 550 5.1.1 user unknown)
        """;

    // Not from the corpus: the plain-text part of an Exchange 2010 non-delivery report, as Exchange
    // writes it (the corpus has only its HTML and DSN forms): display name and address, the reason
    // below, and the remote reply for administrators as "#550 5.1.1 ... ##".
    public const string Exchange2010 = """
        From: Microsoft Exchange <postmaster@corp.example.com>
        To: bounces@gateway.example
        Subject: Undeliverable: Your June newsletter

        Delivery has failed to these recipients or groups:

        Jo Martin (jo.martin@example.com)
        The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message.

        Diagnostic information for administrators:

        Generating server: mail.corp.example.com

        jo.martin@example.com
        #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

        Original message headers:

        To: <jo.martin@example.com>, <ana.lopez@example.com>
        """;

    // Not from the corpus: Gmail's and Office 365's current wording for a single recipient.
    public const string GmailAddressNotFound = """
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounces@gateway.example
        Subject: Delivery Status Notification (Failure)

        Address not found

        Your message wasn't delivered to jo.martin@example.com because the address couldn't be found, or is unable to receive mail.

        The response from the remote server was:
        550 5.1.1 <jo.martin@example.com>: Recipient address rejected: User unknown in virtual mailbox table
        """;
}
