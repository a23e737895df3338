using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

// Reply texts as real servers send them (the text after the reply code, multi-line replies joined
// by line feeds as MailKit reports them); addresses and host names are replaced.
public sealed class BounceEvidenceTests
{
    [Theory]
    [InlineData(550, "5.1.1 <gone@example.com>: Recipient address rejected: User unknown in local recipient table")]
    [InlineData(550, "5.1.1 <gone@example.com>: Recipient address rejected: User unknown in virtual mailbox table")]
    [InlineData(550, "5.1.2 <gone@nowhere.example>: Recipient address rejected: Domain not found")]
    [InlineData(550, "5.1.1 The email account that you tried to reach does not exist. Please try\n5.1.1 double-checking the recipient's email address for typos or\n5.1.1 unnecessary spaces. Learn more at\n5.1.1  https://support.google.com/mail/?p=NoSuchUser d2e1a72fcca58-7022ac6b5c5si2 - gsmtp")]
    [InlineData(550, "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient gone@contoso.com not found by SMTP address lookup")]
    [InlineData(550, "5.1.1 RESOLVER.ADR.ExRecipNotFound; not found")]
    [InlineData(554, "delivery error: dd This user doesn't have a yahoo.com account (gone@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com")]
    [InlineData(550, "sorry, no mailbox here by that name. (#5.1.1)")]
    [InlineData(550, "5.1.1 <gone@example.com>... User unknown")]
    [InlineData(550, "5.1.1 User does not exist - gone@zoho.com")]
    [InlineData(556, "5.1.10 Recipient address has null MX")]
    [InlineData(551, "5.1.6 User has moved; please try <new@example.com>")]
    [InlineData(554, "5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain")]

    // Postfix on NXDOMAIN (tests/corpus/feedback/lhost-postfix-06.eml), X.4.4 "unable to route"
    // (RFC 3463 3.5); Courier (lhost-courier-04.eml); Sendmail on a null MX; Outlook.com
    // (lhost-outlook-03.eml), whose "try again" is advice, not a transient state.
    [InlineData(550, "5.4.4 Host or domain name not found. Name service error for name=gone.example type=A: Host not found")]
    [InlineData(550, "No such domain.")]
    [InlineData(550, "Host does not accept mail")]
    [InlineData(554, "The mail could not be delivered to the recipient because the domain is not reachable. Please check the domain and try again (-1915321397:308:-2147467259)")]

    // Yahoo's "user unknown" after DATA (lhost-sendmail-41.eml),
    // Exchange 2003's directory code (lhost-exchange2003-01.eml), Domino's and Notes' directories
    // (lhost-domino-01.eml, lhost-notes-03.eml), Exim's null MX (lhost-mailru-05.eml), a 521
    // (RFC 7504; lhost-dragonfly-16.eml).
    [InlineData(554, "delivery error: dd This user doesn't have a yahoo.com account (gone@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com")]
    [InlineData(550, "The recipient name is not recognized MSEXCH:IMS:KIJITORA CAT:EXAMPLE:EXCHANGE 0 (000C05A6) Unknown Recipient")]
    [InlineData(550, "User some.name (gone@example.jp) not listed in Domino Directory")]
    [InlineData(550, "User not listed in public Name & Address Book")]
    [InlineData(550, "an MX or SRV record indicated no SMTP service")]
    [InlineData(521, "5.3.2 <gone@example.net>: Recipient address rejected: System not accepting network messages")]
    public void A_reply_that_says_the_mailbox_or_domain_is_gone_is_a_hard_bounce(int code, string text)
    {
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text));
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text, RefusalStage.Data));
    }

    // "User unknown" with a code that is not about the address (X.0.0, X.2.x) or none: hard only in
    // answer to RCPT TO. After DATA, or when nobody says, it is a filter's words (sisimai's
    // Filtered.pm; tests/corpus/feedback/lhost-postfix-35.eml "550 : User unknown (in reply to end of
    // DATA command)" against lhost-postfix-36.eml's "(in reply to RCPT TO command)").
    [Theory]
    [InlineData(550, "No Such User Here")]
    [InlineData(550, "Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [x8LbN2rVPeW3Hhk4-wOWwQ.us223]")]
    [InlineData(550, "Message was not accepted -- invalid mailbox.  Local mailbox gone@mail.ru is unavailable: user not found")]
    [InlineData(550, "5.2.1 <gone@example.com>: Mailbox is inactive")]
    [InlineData(550, "5.0.0 <gone@example.com>: User unknown")]
    [InlineData(550, "5.2.1 <gone@example.jp>... User Unknown")]
    [InlineData(550, "Unknown user gone@ntt.example.ne.jp")]
    [InlineData(550, "5.5.0 Adresse destinataire invalide. Invalid recipient.")]
    public void Mailbox_words_without_a_mailbox_code_are_a_hard_bounce_only_in_answer_to_rcpt_to(int code, string text)
    {
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text, RefusalStage.RcptTo));
        Assert.Equal(RefusalCause.Filtered, BounceEvidence.Judge(code, null, text, RefusalStage.Data));
        Assert.Equal(RefusalCause.Filtered, BounceEvidence.Judge(code, null, text));
    }

    // A mailbox code does not need the stage (RFC 3463 3.2: X.1.1 says the mailbox does not exist).
    [Theory]
    [InlineData(RefusalStage.Unknown)]
    [InlineData(RefusalStage.RcptTo)]
    [InlineData(RefusalStage.Data)]
    public void A_mailbox_code_with_mailbox_words_is_a_hard_bounce_at_any_stage(RefusalStage stage) =>
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(550, null, "5.1.1 <gone@example.com>... User Unknown", stage));

    // Microsoft's texts for a recipient that does not exist (rhost-microsoft-02.eml, Directory-Based
    // Edge Blocking; lhost-outlook-08.eml, Outlook.com) answer RCPT TO; after DATA the same words
    // are another server's filter.
    [Theory]
    [InlineData(550, "5.4.1 [gone@example.org]: Recipient address rejected: Access denied [NEKOCHAN.cat-neko22.prod.protection.outlook.com]")]
    [InlineData(550, "5.5.0 Requested action not taken: mailbox unavailable (-0000000022:2222:-0000000022)")]
    public void Microsofts_missing_recipient_texts_count_only_before_data(int code, string text)
    {
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text, RefusalStage.RcptTo));
        Assert.NotEqual(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text, RefusalStage.Data));
    }

    // Refused before any recipient was named: the words are about the sender or the client.
    [Theory]
    [InlineData(RefusalStage.MailFrom, RefusalCause.SenderRejected)]
    [InlineData(RefusalStage.Greeting, RefusalCause.Policy)]
    [InlineData(RefusalStage.Connection, RefusalCause.Policy)]
    public void Mailbox_words_in_answer_to_a_command_before_rcpt_to_are_no_hard_bounce(RefusalStage stage, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(550, null, "5.1.1 <bounce@sender.example>... User unknown", stage));

    // Disabled, inactive or suspended: the account exists and may come back (sisimai's "suspend";
    // tests/corpus/feedback/rhost-google-01.eml, rhost-google-07.eml, lhost-postfix-52.eml).
    [Theory]
    [InlineData(550, "5.2.1 The email account that you tried to reach is disabled. Learn more at\n5.2.1  https://support.google.com/mail/?p=DisabledUser a1si12 - gsmtp")]
    [InlineData(550, "5.2.1 The email account that you tried to reach is inactive. For more\n5.2.1 information, go to https://support.google.com/mail/?p=DisabledUser - gsmtp")]
    [InlineData(554, "delivery error: dd Sorry your message to user@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta4001.mail.gq1.yahoo.com")]
    [InlineData(554, "delivery error: dd Sorry your message to user@example.co.jp cannot be delivered. This account has been disabled or discontinued [#102]. - mta222.mail.example.co.jp")]
    [InlineData(554, "delivery error: dd user@yahoo.com is no longer valid. [-5] - mta1234.mail.bf1.yahoo.com")]
    [InlineData(525, "5.7.13 User account disabled")]
    public void A_disabled_or_suspended_account_is_no_hard_bounce(int code, string text)
    {
        Assert.Equal(RefusalCause.Suspended, BounceEvidence.Judge(code, null, text));
        Assert.Equal(RefusalCause.Suspended, BounceEvidence.Judge(code, null, text, RefusalStage.RcptTo));
    }

    // The recipient's own filter, even under X.1.1 (tests/corpus/feedback/rhost-facebook-03.eml).
    [Theory]
    [InlineData(550, "5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=192.0.2.135#rcp Refused due to recipient preferences")]
    [InlineData(550, "5.7.1 Unable to deliver to user@example.com because the recipient is only accepting mail from specific email addresses")]
    [InlineData(550, "5.1.1 user reject")]
    public void A_recipient_filter_is_no_hard_bounce_even_with_a_mailbox_code(int code, string text) =>
        Assert.NotEqual(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text, RefusalStage.RcptTo));

    // A lookup that failed is not a domain that does not exist (lhost-postfix-17.eml).
    [Theory]
    [InlineData(550, "5.4.4 Name service error for name=example.org type=MX: Malformed or unexpected name server reply", RefusalCause.Routing)]
    [InlineData(550, "5.4.4 Host or domain name not found. Name service error for name=example.org type=A: Host not found, try again", RefusalCause.Routing)]
    [InlineData(554, "5.4.4 Hop count exceeded - possible mail loop", RefusalCause.Routing)]
    [InlineData(554, "5.4.4 SMTPSEND.DNS.MxLoopback; DNS records for the destination domain are configured with a loopback", RefusalCause.Routing)]
    [InlineData(550, "5.4.4 The destination domain is not reachable at this time", RefusalCause.Transient)]
    [InlineData(550, "Client host unknown: cannot find your hostname", RefusalCause.NotUnderstood)]
    public void A_failed_dns_lookup_is_no_hard_bounce(int code, string text, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(code, null, text));

    [Theory]
    [InlineData(552, "5.2.2 The email account that you tried to reach is over quota. Please direct\n5.2.2 the recipient to\n5.2.2  https://support.google.com/mail/?p=OverQuotaPerm - gsmtp", RefusalCause.MailboxFull)]
    [InlineData(552, "5.2.2 The recipient's inbox is out of storage space. Please direct the\n5.2.2 recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp", RefusalCause.MailboxFull)]
    [InlineData(550, "5.1.1 <gone@example.com>: 552 5.2.2 Over quota", RefusalCause.MailboxFull)]
    [InlineData(550, "5.1.1 <user@example.com>: Recipient address rejected: Mailbox full", RefusalCause.MailboxFull)]
    [InlineData(554, "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", RefusalCause.Policy)]
    [InlineData(550, "5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).", RefusalCause.Policy)]
    [InlineData(550, "5.1.1 <user@example.com>: Recipient address rejected: IP address 192.0.2.1 blacklisted", RefusalCause.Policy)]
    [InlineData(550, "5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy.", RefusalCause.Policy)]
    [InlineData(550, "5.7.23 The message was rejected because of Sender Policy Framework violation", RefusalCause.Policy)]
    [InlineData(554, "5.7.1 <user@example.com>: Relay access denied", RefusalCause.Policy)]
    [InlineData(550, "5.1.1 User unknown; listed at bl.example.net", RefusalCause.Policy)]
    [InlineData(550, "5.1.8 <bounce@sender.example>: Sender address rejected: Domain not found", RefusalCause.SenderRejected)]
    [InlineData(553, "5.1.7 The sender address <x@sender.example> is not a valid RFC 5321 address", RefusalCause.SenderRejected)]
    [InlineData(550, "Verification failed for <bounce@sender.example>\nUnrouteable address\nSender verify failed", RefusalCause.SenderRejected)]
    [InlineData(550, "5.2.1 The user you are trying to contact is receiving mail at a rate that\n5.2.1 prevents additional messages from being delivered. Please resend your\n5.2.1 message at a later time. - gsmtp", RefusalCause.RateLimited)]
    [InlineData(550, "5.2.1 <user@example.com>: Mailbox rate limited", RefusalCause.RateLimited)]
    [InlineData(552, "5.0.0 Too many recipients", RefusalCause.RateLimited)]
    [InlineData(554, "5.6.0 Message contains invalid header", RefusalCause.Content)]
    [InlineData(552, "5.3.4 Message size exceeds fixed limit", RefusalCause.Content)]
    [InlineData(550, "5.4.312 Message expired, connection refused(Socket error code 10061)", RefusalCause.Expired)]
    [InlineData(550, "Requested action not taken: mailbox unavailable\ninvalid DNS MX or A/AAAA resource record", RefusalCause.Routing)]
    [InlineData(550, "Unrouteable address", RefusalCause.Routing)]
    [InlineData(550, "5.0.0 Requested action not taken: mailbox unavailable", RefusalCause.NotUnderstood)]
    [InlineData(550, "Requested action not taken: mailbox unavailable", RefusalCause.NotUnderstood)]
    [InlineData(550, "5.2.1 Mailbox unavailable", RefusalCause.NotUnderstood)]
    [InlineData(554, "Transaction failed", RefusalCause.NotUnderstood)]
    [InlineData(550, "5.5.0 Requested action not taken", RefusalCause.NotUnderstood)]
    public void A_reply_that_blames_anything_but_a_missing_mailbox_is_no_hard_bounce(int code, string text, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(code, null, text));

    [Theory]
    [InlineData(450, "4.1.1 <gone@example.com>: Recipient address rejected: User unknown in local recipient table")]
    [InlineData(451, "4.7.1 Greylisted, please try again in 300 seconds")]
    [InlineData(452, "4.2.2 The email account that you tried to reach is over quota")]
    [InlineData(550, "4.1.1 <gone@example.com>: Recipient address rejected: User unknown")]
    [InlineData(550, "5.1.1 <gone@example.com>: User unknown, try again later")]
    public void A_transient_reply_or_code_is_never_a_hard_bounce(int code, string text) =>
        Assert.Equal(RefusalCause.Transient, BounceEvidence.Judge(code, null, text));

    [Fact]
    public void A_status_given_apart_from_the_text_decides_as_the_code_in_the_text_would()
    {
        Assert.True(DeliveryStatusCode.TryParse("5.1.1", out var gone));
        Assert.True(DeliveryStatusCode.TryParse("4.4.7", out var delayed));

        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(null, gone, "smtp; 550 <gone@example.com>... User unknown"));
        Assert.Equal(RefusalCause.MailboxFull, BounceEvidence.Judge(null, gone, "smtp; 552 5.2.2 Over quota"));
        Assert.Equal(RefusalCause.Transient, BounceEvidence.Judge(null, delayed, "User unknown"));
    }

    // An address in the reply is not words: a mailbox named like a blocklist, a spam desk or a
    // quota still gets the verdict its reply gives.
    [Theory]
    [InlineData("5.1.1 <listed-offers@example.com>: Recipient address rejected: User unknown in local recipient table")]
    [InlineData("5.1.1 <spam.desk@example.com>... User unknown")]
    [InlineData("5.1.1 <\"over quota\"@example.com>: Recipient address rejected: User unknown")]
    [InlineData("5.1.1 <x@blocked.example.com>: Recipient address rejected: User unknown")]
    public void An_address_quoted_in_the_reply_is_not_read_as_words(string text) =>
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(550, null, text, RefusalStage.RcptTo));

    // au (KDDI): the same words mean a missing mailbox with the address and the recipient's own
    // filter without it (tests/corpus/feedback/rhost-gsuite-09.eml, rhost-kddi-01.eml); from
    // anyone else, "User unknown" with no command known stays a filter's words.
    [Theory]
    [InlineData("ezweb.ne.jp", "550 <gone@ezweb.ne.jp>: User unknown", RefusalCause.MailboxGone)]
    [InlineData("au.com", "550 <gone@au.com>: User unknown", RefusalCause.MailboxGone)]
    [InlineData("ezweb.ne.jp", "550 : User unknown", RefusalCause.Filtered)]
    [InlineData("example.or.jp", "550 <gone@example.or.jp>: User unknown", RefusalCause.Filtered)]
    [InlineData(null, "550 <gone@ezweb.ne.jp>: User unknown", RefusalCause.Filtered)]
    public void Kddi_tells_a_missing_mailbox_from_a_filter_by_the_address_in_its_reply(string? domain, string text, RefusalCause expected)
    {
        Assert.True(DeliveryStatusCode.TryParse("5.0.0", out var other));
        Assert.Equal(expected, BounceEvidence.Judge(550, other, text, RefusalStage.Unknown, domain));
    }

    // Orange and La Poste number their replies; 416 is "Invalid recipient", sent at RCPT TO even
    // when a pipelining client's transcript shows DATA last (lhost-sendmail-46.eml). Their other
    // numbers are blocks and full mailboxes.
    [Theory]
    [InlineData("5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416", RefusalCause.MailboxGone)]
    [InlineData("5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", RefusalCause.MailboxGone)]
    [InlineData("5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]", RefusalCause.MailboxFull)]
    [InlineData("5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN005_510", RefusalCause.Transient)]
    public void Oranges_numbered_replies_say_which_is_an_invalid_recipient(string text, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(550, null, text, RefusalStage.Data));

    // Held-out corpus (tests/corpus/feedback-heldout): Google's and others' "No such user" under
    // X.7.1 at RCPT TO (bounceparser-20.eml, bounceemail-03.eml), Hotmail's stock "mailbox
    // unavailable" at RCPT TO (phpbounce-03.eml); the same words anywhere else, or with policy words,
    // or under a specific X.7.x code, stay soft.
    [Theory]
    [InlineData(550, "5.7.1 No such user c18si2365148hub", RefusalStage.RcptTo, RefusalCause.MailboxGone)]
    [InlineData(554, "5.7.1 <gone@example.lv>: Recipient address rejected: Nonexistent user", RefusalStage.RcptTo, RefusalCause.MailboxGone)]
    [InlineData(550, "5.7.1 No such user c18si2365148hub", RefusalStage.Data, RefusalCause.Policy)]
    [InlineData(550, "5.7.1 No such user c18si2365148hub", RefusalStage.Unknown, RefusalCause.Policy)]
    [InlineData(550, "5.7.1 Message rejected as spam. No such user", RefusalStage.RcptTo, RefusalCause.Content)]
    [InlineData(550, "5.7.1 Client host blocked; no such user", RefusalStage.RcptTo, RefusalCause.Policy)]
    [InlineData(550, "5.7.26 Unauthenticated email is not accepted; no such user", RefusalStage.RcptTo, RefusalCause.Policy)]
    [InlineData(550, "Requested action not taken: mailbox unavailable", RefusalStage.RcptTo, RefusalCause.MailboxGone)]
    [InlineData(550, "Requested action not taken: mailbox unavailable", RefusalStage.Data, RefusalCause.NotUnderstood)]
    [InlineData(550, "5.2.1 Requested action not taken: mailbox unavailable", RefusalStage.RcptTo, RefusalCause.NotUnderstood)]
    [InlineData(550, "Requested action not taken: mailbox unavailable (blocked by policy)", RefusalStage.RcptTo, RefusalCause.Policy)]
    public void Recipient_words_in_answer_to_rcpt_to_outweigh_a_generic_code(int code, string text, RefusalStage stage, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(code, null, text, stage));

    // X.1.10 is RFC 7505's null MX, and Exchange's "Recipient not found": its resolver's own code
    // proves the mailbox gone anywhere; the bare words go by the command, like any other.
    [Theory]
    [InlineData("5.1.10 Recipient address has null MX", RefusalStage.Unknown, RefusalCause.MailboxGone)]
    [InlineData("5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", RefusalStage.Unknown, RefusalCause.MailboxGone)]
    [InlineData("5.1.10 example.test; Recipient not found by SMTP address lookup", RefusalStage.RcptTo, RefusalCause.MailboxGone)]
    [InlineData("5.1.10 example.test; Recipient not found by SMTP address lookup", RefusalStage.Unknown, RefusalCause.Filtered)]
    public void An_x_1_10_code_with_recipient_words_goes_by_the_command(string text, RefusalStage stage, RefusalCause expected) =>
        Assert.Equal(expected, BounceEvidence.Judge(550, null, text, stage));
}
