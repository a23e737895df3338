using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class QuitCommand : SmtpCommand
{
    public static QuitCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Quit;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SmtpReply(221, "2.0.0", session.Options.Hostname + " closing connection"));
}
