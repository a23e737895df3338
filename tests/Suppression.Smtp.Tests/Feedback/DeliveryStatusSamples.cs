namespace Suppression.Smtp.Tests.Feedback;

// Delivery status notifications modelled on what the big receivers send back for mail relayed
// through the gateway. Message-IDs, hosts and addresses are invented; structure and wording are theirs.
public static class DeliveryStatusSamples
{
    // Google (Gmail, Workspace): multipart/related human part, full original returned.
    public const string GmailNoSuchUser = """
        Delivered-To: bounces@gateway.example
        Return-Path: <>
        Received: from mail-sor-f69.google.com (mail-sor-f69.google.com. [209.85.220.69])
                by mx.gateway.example with ESMTPS id 4F2A11C0A9
                for <bounces@gateway.example>; Mon, 03 Jun 2024 09:14:39 +0000 (UTC)
        Content-Type: multipart/report; boundary="0000000000001f2a3b061a0c4e12"; report-type=delivery-status
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounces@gateway.example
        Auto-Submitted: auto-replied
        Subject: Delivery Status Notification (Failure)
        References: <20240603091436.4F2A11C0A3@shop.example>
        In-Reply-To: <20240603091436.4F2A11C0A3@shop.example>
        X-Failed-Recipients: Ana.Lopez@gmail.com
        Message-ID: <665d8a1e.170a0220.1b2c3.4d5eSMTPIN_ADDED_BROKEN@mx.google.com>
        Date: Mon, 03 Jun 2024 02:14:38 -0700 (PDT)

        --0000000000001f2a3b061a0c4e12
        Content-Type: multipart/related; boundary="0000000000001f3c4d061a0c4e1a"

        --0000000000001f3c4d061a0c4e1a
        Content-Type: multipart/alternative; boundary="0000000000001f3c4e061a0c4e1b"

        --0000000000001f3c4e061a0c4e1b
        Content-Type: text/plain; charset="UTF-8"


        ** Address not found **

        Your message wasn't delivered to Ana.Lopez@gmail.com because the address couldn't be found, or is unable to receive mail.

        Learn more here: https://support.google.com/mail/?p=NoSuchUser

        The response was:

        The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser

        --0000000000001f3c4e061a0c4e1b
        Content-Type: text/html; charset="UTF-8"

        <html><body><h2>Address not found</h2><p>Your message wasn't delivered to <a>Ana.Lopez@gmail.com</a> because the address couldn't be found, or is unable to receive mail.</p></body></html>

        --0000000000001f3c4e061a0c4e1b--
        --0000000000001f3c4d061a0c4e1a--
        --0000000000001f2a3b061a0c4e12
        Content-Type: message/delivery-status

        Reporting-MTA: dns; googlemail.com
        Received-From-MTA: dns; mail.shop.example
        Arrival-Date: Mon, 03 Jun 2024 02:14:37 -0700 (PDT)
        X-Original-Message-ID: <20240603091436.4F2A11C0A3@shop.example>

        Final-Recipient: rfc822; Ana.Lopez@gmail.com
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; gmail-smtp-in.l.google.com. (142.251.9.27, the server for the domain gmail.com.)
        Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try
         550-5.1.1 double-checking the recipient's email address for typos or
         550-5.1.1 unnecessary spaces. For more information, go to
         550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a640c23a62f3a-a6c8f0e1b2dsi1234567b.512 - gsmtp
        Last-Attempt-Date: Mon, 03 Jun 2024 02:14:38 -0700 (PDT)

        --0000000000001f2a3b061a0c4e12
        Content-Type: message/rfc822

        Return-Path: <bounces@gateway.example>
        Received: from mail.shop.example (mail.shop.example [198.51.100.7])
                by mx.gateway.example with ESMTP id 4F2A11C0A3; Mon, 03 Jun 2024 09:14:36 +0000 (UTC)
        From: Shop Example <news@shop.example>
        To: Ana Lopez <Ana.Lopez@gmail.com>
        Subject: Your June newsletter
        Date: Mon, 03 Jun 2024 09:14:36 +0000
        Message-ID: <20240603091436.4F2A11C0A3@shop.example>
        List-Unsubscribe: <https://gateway.example/u/k1AAAA>, <mailto:unsubscribe@gateway.example?subject=unsubscribe-k1AAAA>
        List-Unsubscribe-Post: List-Unsubscribe=One-Click
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        This month: new arrivals and a 20% code.

        --0000000000001f2a3b061a0c4e12--
        """;

    // Microsoft 365 / Exchange Online NDR: the original's headers only, as text/rfc822-headers.
    public const string Microsoft365RecipientNotFound = """
        Received: from DM6PR11MB4691.namprd11.prod.outlook.com (2603:10b6:5:2a1::9)
         by mx.gateway.example with ESMTPS id 7D3E21C0B4; Tue, 4 Jun 2024 09:12:46 +0000
        From: Microsoft Outlook
        	<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@fabrikam.onmicrosoft.com>
        To: <bounces@gateway.example>
        Date: Tue, 4 Jun 2024 09:12:45 +0000
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="ddf5c3c8-6bd5-44b5-9a4e-0b1b0b2f2a11"
        X-MS-Exchange-Message-Is-Ndr:
        Content-Language: en-US
        Message-ID:
        	<c2b0f1a4-3c1e-4a55-8d7e-9f7f2f1a2b3c@DM6PR11MB4691.namprd11.prod.outlook.com>
        In-Reply-To: <20240604091244.7D3E21C0B1@shop.example>
        References: <20240604091244.7D3E21C0B1@shop.example>
        Thread-Topic: Your June newsletter
        Subject: Undeliverable: Your June newsletter
        Auto-Submitted: auto-replied
        MIME-Version: 1.0

        --ddf5c3c8-6bd5-44b5-9a4e-0b1b0b2f2a11
        Content-Type: multipart/alternative; differences=Content-Type;
        	boundary="7f0ea2cb-4bd3-4c3b-a1d2-5c9e8e7d6f10"

        --7f0ea2cb-4bd3-4c3b-a1d2-5c9e8e7d6f10
        Content-Type: text/plain; charset="us-ascii"
        Content-Transfer-Encoding: quoted-printable

        Your message to Former.Employee@fabrikam.com couldn't be delivered.

        Former.Employee wasn't found at fabrikam.com.

        news       Office 365      Former.Employee
        Action Required                 Recipient

        Unknown To address

        Diagnostic information for administrators:

        Generating server: DM6PR11MB4691.namprd11.prod.outlook.com

        Former.Employee@fabrikam.com
        Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient=
         not found by SMTP address lookup'

        --7f0ea2cb-4bd3-4c3b-a1d2-5c9e8e7d6f10
        Content-Type: text/html; charset="us-ascii"

        <html><body><p>Your message to Former.Employee@fabrikam.com couldn't be delivered.</p></body></html>

        --7f0ea2cb-4bd3-4c3b-a1d2-5c9e8e7d6f10--

        --ddf5c3c8-6bd5-44b5-9a4e-0b1b0b2f2a11
        Content-Type: message/delivery-status

        Reporting-MTA: dns;DM6PR11MB4691.namprd11.prod.outlook.com
        Received-From-MTA: dns;mail.shop.example
        Arrival-Date: Tue, 4 Jun 2024 09:12:44 +0000

        Final-Recipient: rfc822;Former.Employee@fabrikam.com
        Action: failed
        Status: 5.1.10
        Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not
         found by SMTP address lookup
        X-Display-Name: Former.Employee@fabrikam.com


        --ddf5c3c8-6bd5-44b5-9a4e-0b1b0b2f2a11
        Content-Type: text/rfc822-headers

        Received: from mail.shop.example (198.51.100.7) by
         BN8NAM11FT004.mail.protection.outlook.com (10.13.176.164) with Microsoft SMTP
         Server id 15.20.7633.15 via Frontend Transport; Tue, 4 Jun 2024 09:12:44 +0000
        From: Shop Example <news@shop.example>
        To: <Former.Employee@fabrikam.com>
        Subject: Your June newsletter
        Date: Tue, 04 Jun 2024 09:12:44 +0000
        Message-ID: <20240604091244.7D3E21C0B1@shop.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        --ddf5c3c8-6bd5-44b5-9a4e-0b1b0b2f2a11--
        """;

    // Postfix bounce(8) after the remote server refused RCPT TO.
    public const string PostfixUserUnknown = """
        Return-Path: <>
        Received: by mx1.relay.example (Postfix)
        	id 5C1A711C0A4; Mon,  3 Jun 2024 09:14:37 +0000 (UTC)
        Date: Mon,  3 Jun 2024 09:14:37 +0000 (UTC)
        From: MAILER-DAEMON@mx1.relay.example (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces@gateway.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="4F2A11C0A3.1717406077/mx1.relay.example"
        Content-Transfer-Encoding: 8bit
        Message-Id: <20240603091437.5C1A711C0A4@mx1.relay.example>

        This is a MIME-encapsulated message.

        --4F2A11C0A3.1717406077/mx1.relay.example
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx1.relay.example.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients. It's attached below.

        For further assistance, please send mail to postmaster.

        If you do so, please include this problem report. You can
        delete your own text from the attached returned message.

                           The mail system

        <jane.doe@example.org>: host mx.example.org[203.0.113.25] said: 550 5.1.1
            <jane.doe@example.org>: Recipient address rejected: User unknown in virtual
            mailbox table (in reply to RCPT TO command)

        --4F2A11C0A3.1717406077/mx1.relay.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx1.relay.example
        X-Postfix-Queue-ID: 4F2A11C0A3
        X-Postfix-Sender: rfc822; bounces@gateway.example
        Arrival-Date: Mon,  3 Jun 2024 09:14:36 +0000 (UTC)

        Final-Recipient: rfc822; jane.doe@example.org
        Original-Recipient: rfc822;jane.doe@example.org
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mx.example.org
        Diagnostic-Code: smtp; 550 5.1.1 <jane.doe@example.org>: Recipient address
            rejected: User unknown in virtual mailbox table

        --4F2A11C0A3.1717406077/mx1.relay.example
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers
        Content-Transfer-Encoding: 8bit

        Return-Path: <bounces@gateway.example>
        Received: from gateway.example (gateway.example [192.0.2.10])
        	by mx1.relay.example (Postfix) with ESMTPS id 4F2A11C0A3
        	for <jane.doe@example.org>; Mon,  3 Jun 2024 09:14:36 +0000 (UTC)
        From: Shop Example <news@shop.example>
        To: jane.doe@example.org
        Subject: Your June newsletter
        Message-ID: <20240603091436.4F2A11C0A3@shop.example>
        Date: Mon, 03 Jun 2024 09:14:36 +0000

        --4F2A11C0A3.1717406077/mx1.relay.example--
        """;

    // Postfix delay warning (delay_warning_time) while the remote mailbox is over quota.
    public const string PostfixMailboxFullDelayed = """
        Return-Path: <>
        Date: Mon,  3 Jun 2024 13:20:01 +0000 (UTC)
        From: MAILER-DAEMON@mx1.relay.example (Mail Delivery System)
        Subject: Delayed Mail (still being retried)
        To: bounces@gateway.example
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="8B7C21C0D2.1717420801/mx1.relay.example"
        Content-Transfer-Encoding: 8bit
        Message-Id: <20240603132001.9E0F31C0D5@mx1.relay.example>

        This is a MIME-encapsulated message.

        --8B7C21C0D2.1717420801/mx1.relay.example
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx1.relay.example.

        ####################################################################
        # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
        ####################################################################

        Your message could not be delivered for more than 4 hour(s).
        It will be retried until it is 5 day(s) old.

        <full.box@example.net>: host mx.example.net[203.0.113.40] said: 452 4.2.2
            <full.box@example.net>: Mailbox full (in reply to RCPT TO command)

        --8B7C21C0D2.1717420801/mx1.relay.example
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx1.relay.example
        X-Postfix-Queue-ID: 8B7C21C0D2
        X-Postfix-Sender: rfc822; bounces@gateway.example
        Arrival-Date: Mon,  3 Jun 2024 09:19:58 +0000 (UTC)

        Final-Recipient: rfc822; full.box@example.net
        Original-Recipient: rfc822;full.box@example.net
        Action: delayed
        Status: 4.2.2
        Remote-MTA: dns; mx.example.net
        Diagnostic-Code: smtp; 452 4.2.2 <full.box@example.net>: Mailbox full
        Will-Retry-Until: Sat,  8 Jun 2024 09:19:58 +0000 (UTC)

        --8B7C21C0D2.1717420801/mx1.relay.example
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers
        Content-Transfer-Encoding: 8bit

        From: Shop Example <news@shop.example>
        To: full.box@example.net
        Subject: Your June newsletter
        Message-ID: <20240603091958.8B7C21C0D2@shop.example>
        Date: Mon, 03 Jun 2024 09:19:58 +0000

        --8B7C21C0D2.1717420801/mx1.relay.example--
        """;
}
