namespace Suppression.Smtp.Protocol.Commands;

/// <summary>RFC 5321 3.5.3: 252 says "cannot verify, but will try", without confirming that a mailbox exists.</summary>
internal sealed class VrfyCommand : SmtpCommand
{
    public static VrfyCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Vrfy;

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandResult.Done(SmtpReplies.CannotVerify));
}
