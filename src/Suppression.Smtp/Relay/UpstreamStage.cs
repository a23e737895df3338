using MailKit.Net.Smtp;
using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Relay;

/// <summary>
/// The command an upstream's refusal answered, as MailKit reports it: a refused RCPT TO is the one
/// place "user unknown" proves the mailbox gone under a code that is not about the address.
/// </summary>
internal static class UpstreamStage
{
    public static RefusalStage Of(SmtpErrorCode error) => error switch
    {
        SmtpErrorCode.RecipientNotAccepted => RefusalStage.RcptTo,
        SmtpErrorCode.SenderNotAccepted => RefusalStage.MailFrom,
        SmtpErrorCode.MessageNotAccepted => RefusalStage.Data,

        // A reply MailKit did not expect, at connect, EHLO or AUTH as well as anywhere else.
        _ => RefusalStage.Unknown,
    };
}
