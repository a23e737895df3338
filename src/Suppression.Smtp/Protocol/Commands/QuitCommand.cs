namespace Suppression.Smtp.Protocol.Commands;

internal sealed class QuitCommand : SmtpCommand
{
    public static QuitCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Quit;

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandResult.Done(SmtpReplies.Closing(context.Options.Hostname)));
}
