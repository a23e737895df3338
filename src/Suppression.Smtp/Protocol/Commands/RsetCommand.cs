namespace Suppression.Smtp.Protocol.Commands;

internal sealed class RsetCommand : SmtpCommand
{
    public static RsetCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Rset;

    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        await context.EndTransactionAsync(cancellationToken);
        return SmtpCommandResult.Done(SmtpReplies.Ok);
    }
}
