using Suppression.Addresses;
using Suppression.Smtp.Policy;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>RCPT TO:&lt;forward-path&gt; (RFC 5321 4.1.1.3): relay check, then the suppression policy.</summary>
internal sealed class RcptCommand(MailboxPath recipient) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Rcpt;

    public MailboxPath Recipient { get; } = recipient;

    public static SmtpParseResult Parse(string argument)
    {
        if (!PathArgument.TrySplit(argument, "TO:", out var pathText, out var parameters))
        {
            return new(SmtpReplies.RcptSyntax);
        }

        if (!MailboxPath.TryParse(pathText, allowNull: false, out var recipient, out var error))
        {
            return new(SmtpReplies.InvalidRecipient(error));
        }

        return parameters.Count == 0
            ? new(new RcptCommand(recipient))
            : new(PathArgument.UnrecognizedParameter("RCPT", parameters[0].Keyword));
    }

    public override async ValueTask<SmtpCommandResult> ExecuteAsync(ISmtpSessionContext context, CancellationToken cancellationToken)
    {
        var transaction = context.Transaction!;
        if (transaction.RecipientCount >= context.Options.MaxRecipients)
        {
            return SmtpCommandResult.Refused(SmtpReplies.TooManyRecipients);
        }

        if (!transaction.SmtpUtf8 && !Recipient.IsAscii)
        {
            return SmtpCommandResult.Refused(SmtpReplies.NonAsciiRecipient);
        }

        // The unsubscribe address (RFC 2369 mailto) and the feedback addresses get mail from mailbox
        // providers and people anywhere, so they are accepted from any client, handled locally and
        // never relayed.
        if (context.LocalMailboxFor(Recipient.Address!.Value) is { } local)
        {
            if (!local.Accepts(Recipient.Address!.Value))
            {
                // An invented, altered or expired return-path tag: refused here, so no bounce of a
                // bounce is ever sent for it (no backscatter), and never relayed.
                return SmtpCommandResult.Refused(SmtpReplies.NoSuchLocalMailbox);
            }

            // RFC 5321 4.5.3.1.10: otherwise the client sends this recipient again in a transaction of its own.
            return transaction.TryAddLocalRecipient(local, Recipient.Address!.Value)
                ? SmtpCommandResult.Done(SmtpReplies.RecipientOk)
                : SmtpCommandResult.Refused(SmtpReplies.LocalMailboxNeedsOwnTransaction);
        }

        if (transaction.Local is not null)
        {
            return SmtpCommandResult.Refused(SmtpReplies.OthersNeedOwnTransaction);
        }

        if (!context.MayRelay)
        {
            return SmtpCommandResult.Refused(SmtpReplies.RelayDenied);
        }

        // An upstream MTA would deliver a routed address (the percent hack, a bang path, a quoted
        // "user@domain", a host's own [IP]) to another mailbox than the one the policy checks:
        // refused, not resolved, because the resolution depends on settings the gateway cannot see.
        if (RoutingSyntax.Explain(Recipient.Address!.Value) is { } routing)
        {
            return SmtpCommandResult.Refused(SmtpReplies.RoutedAddress(routing));
        }

        if (!transaction.MarkSeen(Recipient))
        {
            return SmtpCommandResult.Done(SmtpReplies.RecipientOk);
        }

        var decision = await context.Policy.CheckAsync(
            new RecipientCheck(Recipient.Address!.Value, context.ClientAddress, transaction.Sender.Mailbox, context.Tenant?.Id),
            cancellationToken);
        transaction.TakeVerdict(Recipient, decision);
        return decision.Verdict switch
        {
            RecipientVerdict.Deliver or RecipientVerdict.Drop => SmtpCommandResult.Done(SmtpReplies.RecipientOk),
            RecipientVerdict.Refuse => SmtpCommandResult.Refused(
                await context.RecordRefusedRecipientAsync(Recipient, decision.Entry!, cancellationToken)
                    ? SmtpReplies.RecipientOptedOut
                    : SmtpReplies.SuppressionListUnavailable),
            _ => SmtpCommandResult.Refused(SmtpReplies.SuppressionListUnavailable),
        };
    }
}
