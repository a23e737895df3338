namespace Suppression.Smtp.Tests.Feedback;

// DSNs that are standard but less common: several recipients, rewritten or only original
// recipients, internationalized addresses (RFC 6533), a report wrapped by a disclaimer gateway.
public static class EdgeDeliveryStatusSamples
{
    // One Postfix report for a message with five recipients (NOTIFY=SUCCESS,FAILURE for two).
    public const string PostfixMixedOutcomes = """
        Return-Path: <>
        Date: Sat,  8 Jun 2024 09:20:03 +0000 (UTC)
        From: MAILER-DAEMON@mx1.relay.example (Mail Delivery System)
        Subject: Mail Delivery Status Report
        To: bounces@gateway.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="A1B2C3D4E5.1717838403/mx1.relay.example"
        Message-Id: <20240608092003.F00D11C0E1@mx1.relay.example>

        --A1B2C3D4E5.1717838403/mx1.relay.example
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx1.relay.example.

        Enclosed is the mail delivery report that you requested.

        --A1B2C3D4E5.1717838403/mx1.relay.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx1.relay.example
        X-Postfix-Queue-ID: A1B2C3D4E5
        X-Postfix-Sender: rfc822; bounces@gateway.example
        Arrival-Date: Mon,  3 Jun 2024 09:19:58 +0000 (UTC)

        Final-Recipient: rfc822; alice@example.org
        Original-Recipient: rfc822;alice@example.org
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.org
        Diagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address
            rejected: User unknown in local recipient table

        Final-Recipient: rfc822; bob@example.net
        Original-Recipient: rfc822;bob@example.net
        Action: failed
        Status: 4.4.1
        Diagnostic-Code: X-Postfix; connect to mx.example.net[203.0.113.40]:25:
            Connection timed out

        Final-Recipient: rfc822; carol@example.com
        Original-Recipient: rfc822;carol@example.com
        Action: failed
        Status: 5.7.1
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host
            [192.0.2.10] blocked using zen.spamhaus.org

        Final-Recipient: rfc822; dave@example.com
        Original-Recipient: rfc822;dave@example.com
        Action: delivered
        Status: 2.0.0
        Remote-MTA: dns; mx.example.com
        Diagnostic-Code: smtp; 250 2.0.0 Ok: queued as 4Vt1Zx2kQbz9sWk

        Final-Recipient: rfc822; erin@example.com
        Original-Recipient: rfc822;erin@example.com
        Action: relayed
        Status: 2.0.0
        Remote-MTA: dns; legacy.example.com
        Diagnostic-Code: smtp; 250 2.0.0 Message accepted for delivery

        --A1B2C3D4E5.1717838403/mx1.relay.example
        Content-Description: Message Headers
        Content-Type: text/rfc822-headers

        From: Shop Example <news@shop.example>
        To: alice@example.org, bob@example.net, carol@example.com, dave@example.com,
         erin@example.com
        Subject: Order update
        Message-ID: <20240603091958.A1B2C3D4E5@shop.example>
        Date: Mon, 03 Jun 2024 09:19:58 +0000

        --A1B2C3D4E5.1717838403/mx1.relay.example--
        """;

    // The remote domain aliases the listed address to an internal mailbox; Postfix reports both.
    public const string PostfixAliasedRecipient = """
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces@gateway.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="3E4F5A6B7C.1717406500/mail.example.org"
        Message-Id: <20240603092140.0A1B21C0F3@mail.example.org>

        --3E4F5A6B7C.1717406500/mail.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mail.example.org.

        <jane@example.org> (expanded from <jane@example.org>): user unknown

        --3E4F5A6B7C.1717406500/mail.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.org
        X-Postfix-Queue-ID: 3E4F5A6B7C
        Arrival-Date: Mon,  3 Jun 2024 09:21:39 +0000 (UTC)

        Final-Recipient: rfc822; j.doe-2019@mailhost.example.org
        Original-Recipient: rfc822;Jane@Example.org
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: X-Postfix; unknown user: "j.doe-2019"

        --3E4F5A6B7C.1717406500/mail.example.org--
        """;

    // A small appliance that writes only Original-Recipient, copied from ORCPT still xtext-encoded
    // (RFC 3461 4: '+' is "+2B").
    public const string OriginalRecipientOnly = """
        From: postmaster@filter.example.com
        To: bounces@gateway.example
        Subject: Delivery failure
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="=_report_7731"

        --=_report_7731
        Content-Type: text/plain

        Delivery to sales+2Bspring@example.com failed permanently.

        --=_report_7731
        Content-Type: message/delivery-status

        Reporting-MTA: dns; filter.example.com

        Original-Recipient: rfc822;sales+2Bspring@example.com
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 No such recipient here

        --=_report_7731--
        """;

    // RFC 6533 global DSN: report-type global-delivery-status, raw UTF-8 in the utf-8 address type.
    public const string GlobalDeliveryStatusUtf8 = """
        From: MAILER-DAEMON@mx.bücher.example (Mail Delivery System)
        To: bounces@gateway.example
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=global-delivery-status;
        	boundary="5D6E7F8091.1717500000/mx.xn--bcher-kva.example"

        --5D6E7F8091.1717500000/mx.xn--bcher-kva.example
        Content-Type: text/plain; charset=utf-8

        <Jöran@Bücher.example>: user unknown

        --5D6E7F8091.1717500000/mx.xn--bcher-kva.example
        Content-Type: message/global-delivery-status

        Reporting-MTA: dns; mx.xn--bcher-kva.example

        Final-Recipient: utf-8; Jöran@Bücher.example
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <Jöran@Bücher.example>: Recipient address rejected

        --5D6E7F8091.1717500000/mx.xn--bcher-kva.example--
        """;

    // An ASCII-only DSN for the same mailbox: RFC 6533 3 writes the non-ASCII characters of a
    // utf-8 address as \x{HEX} in the 7-bit form.
    public const string DeliveryStatusUtf8Escaped = """
        From: MAILER-DAEMON@mx1.relay.example (Mail Delivery System)
        To: bounces@gateway.example
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="esc-42"

        --esc-42
        Content-Type: text/plain; charset=us-ascii

        Delivery failed.

        --esc-42
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx1.relay.example

        Final-Recipient: utf-8; j\x{F6}ran@b\x{FC}cher.example
        Original-Recipient: utf-8; J\x{F6}ran@B\x{FC}cher.example
        Action: failed
        Status: 5.1.1

        --esc-42--
        """;

    // A receiving gateway that appends a disclaimer wraps the report in multipart/mixed.
    public const string WrappedByDisclaimer = """
        From: MAILER-DAEMON@mail.example.biz
        To: bounces@gateway.example
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer-1"

        --outer-1
        Content-Type: multipart/report; report-type=delivery-status; boundary="inner-1"

        --inner-1
        Content-Type: text/plain

        Your message could not be delivered.

        --inner-1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mail.example.biz

        Final-Recipient: rfc822; left.company@example.biz
        Action: failed
        Status: 5.2.1
        Diagnostic-Code: smtp; 550 5.2.1 Mailbox disabled for this recipient

        --inner-1--

        --outer-1
        Content-Type: text/plain

        This email and any attachments are confidential.

        --outer-1--
        """;
}
