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
    [InlineData(550, "5.2.1 The email account that you tried to reach is disabled. Learn more at\n5.2.1  https://support.google.com/mail/?p=DisabledUser a1si12 - gsmtp")]
    [InlineData(550, "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient gone@contoso.com not found by SMTP address lookup")]
    [InlineData(550, "5.1.1 RESOLVER.ADR.ExRecipNotFound; not found")]
    [InlineData(554, "delivery error: dd This user doesn't have a yahoo.com account (gone@yahoo.com) [0] - mta1234.mail.bf1.yahoo.com")]
    [InlineData(554, "delivery error: dd Sorry your message to gone@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta4001.mail.gq1.yahoo.com")]
    [InlineData(550, "sorry, no mailbox here by that name. (#5.1.1)")]
    [InlineData(550, "5.1.1 <gone@example.com>... User unknown")]
    [InlineData(550, "No Such User Here")]
    [InlineData(550, "Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [x8LbN2rVPeW3Hhk4-wOWwQ.us223]")]
    [InlineData(550, "5.1.1 User does not exist - gone@zoho.com")]
    [InlineData(550, "Message was not accepted -- invalid mailbox.  Local mailbox gone@mail.ru is unavailable: user not found")]
    [InlineData(556, "5.1.10 Recipient address has null MX")]
    [InlineData(551, "5.1.6 User has moved; please try <new@example.com>")]
    [InlineData(550, "5.2.1 <gone@example.com>: Mailbox is inactive")]
    [InlineData(550, "5.0.0 <gone@example.com>: User unknown")]
    public void A_reply_that_says_the_mailbox_or_domain_is_gone_is_a_hard_bounce(int code, string text) =>
        Assert.Equal(RefusalCause.MailboxGone, BounceEvidence.Judge(code, null, text));

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
    [InlineData(550, "5.4.1 Recipient address rejected: Access denied. For more information see https://aka.ms/EXOSmtpErrors [AM0PR01MB1234.eurprd01.prod.exchangelabs.com]", RefusalCause.Policy)]
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
    [InlineData(554, "5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain", RefusalCause.Routing)]
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
}
