namespace Suppression.Smtp.Feedback;

/// <summary>
/// The SMTP command a refusal answered, when the report or the session says. It matters: a server
/// that took RCPT TO and then says "user unknown" after DATA is filtering the message, not reporting
/// a missing mailbox (every real MTA checks the mailbox at RCPT, RFC 5321 3.3).
/// </summary>
public enum RefusalStage
{
    Unknown,
    Connection,
    Greeting,
    MailFrom,
    RcptTo,
    Data,
}
