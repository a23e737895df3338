namespace Suppression.Smtp.Protocol.Commands;

internal sealed class NoopCommand : SmtpCommand
{
    public static NoopCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Noop;

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SmtpCommandResult.Done(SmtpReplies.Ok));
}
