namespace Suppression.Smtp.Protocol.Commands;

internal sealed class HelpCommand : SmtpCommand
{
    public static HelpCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Help;

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandResult.Done(SmtpReplies.Help(context.CanStartTls)));
}
