using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class HelpCommand : SmtpCommand
{
    public static HelpCommand Instance { get; } = new();

    public override SmtpVerb Verb => SmtpVerb.Help;

    public override ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SmtpReply(
            214,
            "2.0.0",
            "Suppression Gateway: an SMTP relay that honours opt-outs",
            "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP" + (session.CanStartTls ? " STARTTLS" : string.Empty),
            "End of HELP"));
}
