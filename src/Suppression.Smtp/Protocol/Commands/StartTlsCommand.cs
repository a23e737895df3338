namespace Suppression.Smtp.Protocol.Commands;

/// <summary>STARTTLS (RFC 3207): 220, then the TLS handshake; the session starts over from the greeting state.</summary>
internal sealed class StartTlsCommand : SmtpCommand
{
    public static StartTlsCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.StartTls;

    public override ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(context.CanStartTls
            ? SmtpCommandResult.Done(SmtpReplies.ReadyToStartTls)
            : SmtpCommandResult.Refused(SmtpReplies.TlsAlreadyActive));
}
