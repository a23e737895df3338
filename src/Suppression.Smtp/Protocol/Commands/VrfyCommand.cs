using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>RFC 5321 3.5.3: 252 says "cannot verify, but will try", without confirming that a mailbox exists.</summary>
public sealed class VrfyCommand : SmtpCommand
{
    public static VrfyCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Vrfy;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SmtpReply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
}
