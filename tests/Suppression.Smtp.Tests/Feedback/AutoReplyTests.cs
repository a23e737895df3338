using MimeKit;
using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Tests.Feedback;

/// <summary>An automatic answer on a return path comes from a working mailbox; a bounce never reads as one.</summary>
public sealed class AutoReplyTests
{
    [Theory]
    [InlineData("Subject: Automatic reply: Spring sale")]
    [InlineData("Subject: Auto: Spring sale")]
    [InlineData("Subject: Out of Office: Spring sale")]
    [InlineData("Subject: Abwesenheitsnotiz: Spring sale")]
    [InlineData("Subject: Réponse automatique : Spring sale")]
    [InlineData("Subject: Re: Spring sale\r\nX-Autoreply: yes")]
    [InlineData("Subject: Re: Spring sale\r\nPrecedence: auto_reply")]
    [InlineData("Subject: Read: Spring sale\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=R")]
    public void A_responders_answer_is_an_auto_reply(string fields) => Assert.True(AutoReply.Is(Message(fields)));

    // Bounces carry Auto-Submitted: auto-replied too (RFC 3834 5; Postfix's do), and may return a
    // message whose own subject was an automatic reply: neither makes them one.
    [Theory]
    [InlineData("Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied")]
    [InlineData("Subject: Delivery Status Notification (Failure)")]
    [InlineData("Subject: Mail delivery failed: returning message to sender")]
    [InlineData("Subject: Undeliverable: Automatic reply: Spring sale")]
    [InlineData("Subject: failure notice")]
    public void A_bounce_is_not_an_auto_reply(string fields) => Assert.False(AutoReply.Is(Message(fields)));

    private static MimeMessage Message(string fields) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"From: someone@provider.example\r\n{fields}\r\n\r\nText.\r\n")));
}
