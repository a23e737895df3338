using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class RsetCommand : SmtpCommand
{
    public static RsetCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Rset;

    public override async ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        await session.EndTransactionAsync(cancellationToken);
        return SmtpReply.Ok();
    }
}
