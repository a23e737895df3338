namespace Suppression.Smtp.Protocol.Commands;

internal sealed class EhloCommand(string clientDomain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Ehlo;

    public string ClientDomain { get; } = clientDomain;

    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        await context.GreetAsync(ClientDomain, extended: true, cancellationToken);
        var lines = new List<string>
        {
            $"{context.Options.Hostname} greets {ClientDomain}",
            "PIPELINING",
            $"SIZE {context.Options.MaxMessageBytes}",
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (context.CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        if (context.CanAuthenticate)
        {
            lines.Add("AUTH PLAIN LOGIN");
        }

        lines.Add("HELP");

        // RFC 2034 3: no enhanced status code on the EHLO reply.
        return SmtpCommandResult.Done(new SmtpReply(250, null, [.. lines]));
    }
}
