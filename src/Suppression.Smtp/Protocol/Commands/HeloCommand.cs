namespace Suppression.Smtp.Protocol.Commands;

internal sealed class HeloCommand(string clientDomain) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Helo;

    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        await context.GreetAsync(clientDomain, extended: false, cancellationToken);
        return SmtpCommandResult.Done(SmtpReplies.HeloGreeting(context.Options.Hostname));
    }
}
