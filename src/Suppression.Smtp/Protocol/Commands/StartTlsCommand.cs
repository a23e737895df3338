using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>STARTTLS (RFC 3207): 220, then the TLS handshake; the session starts over from the greeting state.</summary>
public sealed class StartTlsCommand : SmtpCommand
{
    public static StartTlsCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.StartTls;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(session.CanStartTls
            ? new SmtpReply(220, "2.0.0", "Ready to start TLS")
            : new SmtpReply(503, "5.5.1", "TLS already active"));
}
