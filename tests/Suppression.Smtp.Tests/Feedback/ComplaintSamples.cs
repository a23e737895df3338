namespace Suppression.Smtp.Tests.Feedback;

// ARF (RFC 5965) reports modelled on the feedback loops of Yahoo/AOL, Microsoft (JMRP) and
// Validity's Universal FBL. Addresses and IDs are invented.
public static class ComplaintSamples
{
    // Yahoo CFL / AOL: the pre-RFC field names (Received-Date, Version 0.1), Original-Rcpt-To present.
    public const string YahooAbuse = """
        Return-Path: <>
        From: feedback@arf.mail.yahoo.com
        To: fbl@gateway.example
        Subject: FW: Spring sale: 20% off everything
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report;
        	boundary="----=_Part_2238563_1172381093.1717409123456"
        Message-ID: <1717409123456.2238563.1172381093@arf.mail.yahoo.com>
        Date: Mon, 3 Jun 2024 10:05:23 +0000

        ------=_Part_2238563_1172381093.1717409123456
        Content-Type: text/plain; charset=us-ascii
        Content-Transfer-Encoding: 7bit

        This is an email abuse report for an email message received from IP 198.51.100.7 on Mon, 03 Jun 2024 10:02:11 +0000.
        For more information about this format please see http://www.mipassoc.org/arf/.

        ------=_Part_2238563_1172381093.1717409123456
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Yahoo!-Mail-Feedback/2.0
        Version: 0.1
        Original-Mail-From: <bounces@gateway.example>
        Original-Rcpt-To: <Spring.Reader@yahoo.com>
        Received-Date: Mon, 03 Jun 2024 10:02:11 +0000
        Source-IP: 198.51.100.7
        Reported-Domain: shop.example
        Authentication-Results: mta4012.mail.gq1.yahoo.com  from=shop.example; domainkeys=neutral (no sig);  from=shop.example; dkim=pass (ok)

        ------=_Part_2238563_1172381093.1717409123456
        Content-Type: message/rfc822
        Content-Disposition: inline

        Received: from 198.51.100.7 (EHLO mail.shop.example) (198.51.100.7)
          by mta4012.mail.gq1.yahoo.com with SMTPS; Mon, 03 Jun 2024 10:02:11 +0000
        DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=s1;
         h=from:to:subject:date:message-id:list-unsubscribe; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
         b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==
        From: Shop Example <news@shop.example>
        To: spring.reader@yahoo.com
        Subject: Spring sale: 20% off everything
        Date: Mon, 03 Jun 2024 10:02:10 +0000
        Message-ID: <20240603100210.6A7B81C0C1@shop.example>
        List-Unsubscribe: <https://gateway.example/u/k1BBBB>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Everything is 20% off until Sunday.

        ------=_Part_2238563_1172381093.1717409123456--
        """;

    // Microsoft JMRP: no Original-Rcpt-To; the recipient is only in the returned message (To, and
    // Microsoft's own X-HmXmrOriginalRecipient, which is not standard and not read).
    public const string MicrosoftJmrpAbuse = """
        From: staff@hotmail.com
        To: fbl@gateway.example
        Subject: complaint about message from 198.51.100.7
        Date: Tue, 04 Jun 2024 18:22:40 +0000
        Message-ID: <7a4b2d0e-0c3f-4b8e-9a77-1f2e3d4c5b6a@jmrp.hotmail.com>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report;
        	boundary="9d1d4a7e-a2c4-4c5f-8a1b-2e3f4a5b6c7d"

        --9d1d4a7e-a2c4-4c5f-8a1b-2e3f4a5b6c7d
        Content-Type: text/plain; charset="us-ascii"

        This is an email abuse report for an email message received from IP 198.51.100.7 on Tue, 04 Jun 2024 11:22:33 -0700

        --9d1d4a7e-a2c4-4c5f-8a1b-2e3f4a5b6c7d
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: Hotmail FBL
        Version: 1
        Original-Mail-From: <bounces@gateway.example>
        Arrival-Date: Tue, 04 Jun 2024 11:22:33 -0700
        Source-IP: 198.51.100.7
        Reported-Domain: shop.example

        --9d1d4a7e-a2c4-4c5f-8a1b-2e3f4a5b6c7d
        Content-Type: message/rfc822
        Content-Disposition: inline

        X-HmXmrOriginalRecipient: <reader@outlook.com>
        X-Message-Delivery: Vj0xLjE7dXM9MDtsPTA7YT0wO0Q9MTtHRD0xO1NDTD0w
        Received: from mail.shop.example ([198.51.100.7]) by COL004-MC4F12.hotmail.com
         with Microsoft SMTPSVC(7.5.7601.23143); Tue, 4 Jun 2024 11:22:33 -0700
        From: Shop Example <news@shop.example>
        To: <Reader@Outlook.com>
        Subject: Last chance: free shipping
        Date: Tue, 04 Jun 2024 18:22:30 +0000
        Message-ID: <20240604182230.1C2D31C0D7@shop.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Free shipping ends tonight.

        --9d1d4a7e-a2c4-4c5f-8a1b-2e3f4a5b6c7d--
        """;

    // RFC 5965 2 (c) allows the returned message as headers only; a phishing ("fraud") report.
    public const string FraudWithHeadersOnly = """
        From: "Universal FBL" <fbl@fbl.validity.example>
        To: fbl@gateway.example
        Subject: Feedback report
        Date: Wed, 05 Jun 2024 07:45:12 +0000
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="_fbl_5f1c"

        --_fbl_5f1c
        Content-Type: text/plain

        A recipient reported this message as phishing.

        --_fbl_5f1c
        Content-Type: message/feedback-report

        Feedback-Type: fraud
        User-Agent: ReturnPathFBL/2.0
        Version: 1
        Original-Mail-From: <bounces@gateway.example>
        Original-Rcpt-To: <customer@mail.example.net>
        Arrival-Date: Wed, 05 Jun 2024 07:40:01 +0000
        Source-IP: 2001:db8::25
        Reported-Domain: shop.example
        Reported-Domain: links.shop.example
        Reported-URI: https://links.shop.example/c/8f2a

        --_fbl_5f1c
        Content-Type: text/rfc822-headers

        From: Shop Example <news@shop.example>
        To: Customer <customer@mail.example.net>
        Subject: Your account needs attention
        Date: Wed, 05 Jun 2024 07:40:00 +0000
        Message-ID: <20240605074000.2B3C41C0E9@shop.example>

        --_fbl_5f1c--
        """;
}
