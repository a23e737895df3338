using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class HeloCommand(string clientDomain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Helo;

    public override async ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        await session.GreetAsync(clientDomain, extended: false, cancellationToken);
        return new SmtpReply(250, null, session.Options.Hostname);
    }
}
