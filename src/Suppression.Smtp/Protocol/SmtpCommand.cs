using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol;

/// <summary>One parsed client command; it does its work against the session and returns the reply.</summary>
public abstract class SmtpCommand
{
    public abstract SmtpVerb Verb { get; }

    public abstract ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken);
}
