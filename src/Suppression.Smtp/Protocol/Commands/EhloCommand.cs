using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

public sealed class EhloCommand(string clientDomain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Ehlo;

    public string ClientDomain { get; } = clientDomain;

    public override async ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        await session.GreetAsync(ClientDomain, extended: true, cancellationToken);
        var lines = new List<string>
        {
            $"{session.Options.Hostname} greets {ClientDomain}",
            "PIPELINING",
            $"SIZE {session.Options.MaxMessageBytes}",
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (session.CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        if (session.CanAuthenticate)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        lines.Add("HELP");

        // RFC 2034 3: no enhanced status code on the EHLO reply.
        return new SmtpReply(250, null, [.. lines]);
    }
}
