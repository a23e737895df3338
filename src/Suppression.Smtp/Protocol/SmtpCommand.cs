namespace Suppression.Smtp.Protocol;

/// <summary>One parsed client command; it does its work through the session's context and returns the reply.</summary>
internal abstract class SmtpCommand
{
    public abstract SmtpVerb Verb { get; }

    public abstract ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken);
}
