namespace Suppression.Smtp.Protocol.Commands;

internal sealed class DataCommand : SmtpCommand
{
    public static DataCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Data;

    // RFC 5321 3.3: no recipient accepted yet, 554; the transaction stays open.
    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        context.Transaction is { HasRecipients: true }
            ? SmtpCommandResult.Done(await context.ReceiveMessageAsync(cancellationToken))
            : SmtpCommandResult.Refused(SmtpReplies.NoValidRecipients);
}
