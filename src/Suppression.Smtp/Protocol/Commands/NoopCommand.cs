using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class NoopCommand : SmtpCommand
{
    public static NoopCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Noop;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpReply.Ok());
}
