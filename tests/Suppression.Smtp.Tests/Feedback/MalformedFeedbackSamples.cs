namespace Suppression.Smtp.Tests.Feedback;

// Mail that reaches a feedback address but is not a report this gateway can act on.
public static class MalformedFeedbackSamples
{
    // The opening of qmail-send's plain-text bounce, without a recipient: nothing to read.
    public const string QmailBounceWithoutRecipient = """
        Return-Path: <>
        Date: 3 Jun 2024 09:30:12 -0000
        From: MAILER-DAEMON@mail.example.net
        To: bounces@gateway.example
        Subject: failure notice

        Hi. This is the qmail-send program at mail.example.net.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.
        """;

    // qmail-send's plain-text bounce (no multipart/report), read by PlainTextBounceReader.
    public const string QmailBounce = """
        Return-Path: <>
        Date: 3 Jun 2024 09:30:12 -0000
        From: MAILER-DAEMON@mail.example.net
        To: bounces@gateway.example
        Subject: failure notice

        Hi. This is the qmail-send program at mail.example.net.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <gone.user@example.net>:
        Sorry, no mailbox here by that name. (#5.1.1)

        --- Below this line is a copy of the message.

        Return-Path: <bounces@gateway.example>
        From: Shop Example <news@shop.example>
        To: gone.user@example.net
        Subject: Your June newsletter
        Message-ID: <20240603093010.3D4E51C0F1@shop.example>

        This month: new arrivals and a 20% code.
        """;

    // A person answering the newsletter at the bounce address.
    public const string PersonalReply = """
        From: Ana Lopez <ana.lopez@example.org>
        To: bounces@gateway.example
        Subject: Re: Your June newsletter
        Date: Mon, 03 Jun 2024 11:02:00 +0200
        Message-ID: <CAF=abc123@mail.example.org>
        In-Reply-To: <20240603091436.4F2A11C0A3@shop.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Please stop sending me these. ana.lopez@example.org
        """;

    // Says delivery-status, but the machine-readable part is missing: only the notice and the original.
    public const string DeliveryStatusPartMissing = """
        From: MAILER-DAEMON@mx.example.com
        To: bounces@gateway.example
        Subject: Returned mail: see transcript for details
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="nods"

        --nods
        Content-Type: text/plain

           ----- The following addresses had permanent fatal errors -----
        <nobody@example.com>
            (reason: 550 5.1.1 User unknown)

        --nods
        Content-Type: message/rfc822

        From: Shop Example <news@shop.example>
        To: nobody@example.com
        Subject: Your June newsletter
        Message-ID: <20240603094500.4E5F61C0A2@shop.example>

        Hello.

        --nods--
        """;

    // Per-recipient fields without any recipient field.
    public const string RecipientMissing = """
        From: MAILER-DAEMON@mx.example.com
        To: bounces@gateway.example
        Subject: Undeliverable
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="norcpt"

        --norcpt
        Content-Type: text/plain

        Undeliverable.

        --norcpt
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.com

        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 User unknown

        --norcpt--
        """;

    // A hand-rolled DSN: a status that is not an RFC 3463 code, and an x400 address beside a good one.
    public const string GarbledFields = """
        From: MAILER-DAEMON@legacy.example.com
        To: bounces@gateway.example
        Subject: Delivery failure
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="garbled"

        --garbled
        Content-Type: text/plain

        Delivery failed.

        --garbled
        Content-Type: message/delivery-status

        Reporting-MTA: dns; legacy.example.com

        Final-Recipient: rfc822; quota.user@legacy.example.com
        Action: failed
        Status: permanent failure
        Diagnostic-Code: smtp; mailbox unavailable

        Final-Recipient: rfc822; typo.user@legacy.example.com
        Action: failed
        Status: failed
        Diagnostic-Code: smtp; 550 5.1.1 typo.user... User unknown

        Final-Recipient: x400; /C=US/ADMD=ATTMAIL/PRMD=EXAMPLE/S=Smith/
        Action: failed
        Status: 5.1.1

        --garbled--
        """;

    // An ARF report with the Feedback-Type left out.
    public const string FeedbackTypeMissing = """
        From: fbl@isp.example
        To: fbl@gateway.example
        Subject: Abuse report
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="notype"

        --notype
        Content-Type: text/plain

        A user marked this as spam.

        --notype
        Content-Type: message/feedback-report

        User-Agent: IspFbl/1.0
        Version: 1
        Original-Rcpt-To: <someone@isp.example>

        --notype--
        """;

    // An RFC 8098 read receipt sent to the bounce address.
    public const string ReadReceipt = """
        From: Reader <reader@example.org>
        To: bounces@gateway.example
        Subject: Read: Your June newsletter
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"

        --mdn
        Content-Type: text/plain

        Your message was displayed.

        --mdn
        Content-Type: message/disposition-notification

        Reporting-UA: mail.example.org; Example Mail 3.1
        Final-Recipient: rfc822; reader@example.org
        Original-Message-ID: <20240603091436.4F2A11C0A3@shop.example>
        Disposition: manual-action/MDN-sent-manually; displayed

        --mdn--
        """;
}
