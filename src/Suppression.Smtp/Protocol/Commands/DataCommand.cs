using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class DataCommand : SmtpCommand
{
    public static DataCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Data;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        session.Transaction is { HasRecipients: true }
            ? session.ReceiveMessageAsync(cancellationToken)
            : ValueTask.FromResult(new SmtpReply(554, "5.5.1", "No valid recipients"));
}
