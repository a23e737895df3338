using Suppression.Addresses;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Protocol.Commands;

/// <summary>RCPT TO:&lt;forward-path&gt; (RFC 5321 4.1.1.3): relay check, then the suppression policy.</summary>
public sealed class RcptCommand(MailboxPath recipient) : SmtpCommand
{
    public override SmtpVerb Verb => SmtpVerb.Rcpt;

    public MailboxPath Recipient { get; } = recipient;

    public static SmtpParseResult Parse(string argument)
    {
        if (!PathArgument.TrySplit(argument, "TO:", out var pathText, out var parameters))
        {
            return new(SmtpReply.SyntaxError("Syntax: RCPT TO:<address>"));
        }

        if (!MailboxPath.TryParse(pathText, allowNull: false, out var recipient, out var error))
        {
            return new(new SmtpReply(501, "5.1.3", error));
        }

        return parameters.Count == 0
            ? new(new RcptCommand(recipient))
            : new(PathArgument.UnrecognizedParameter("RCPT", parameters[0].Keyword));
    }

    public override async ValueTask<SmtpReply> ExecuteAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        if (transaction.RecipientCount >= session.Options.MaxRecipients)
        {
            // RFC 5321 4.5.3.1.10: 452 asks the client to send the rest in another transaction.
            return new SmtpReply(452, "4.5.3", "Too many recipients");
        }

        if (!transaction.SmtpUtf8 && !Recipient.IsAscii)
        {
            return new SmtpReply(553, "5.6.7", "Non-ASCII recipient address needs the SMTPUTF8 parameter");
        }

        // The unsubscribe address (RFC 2369 mailto) and the feedback addresses get mail from mailbox
        // providers and people anywhere, so they are accepted from any client, handled locally and
        // never relayed.
        if (session.LocalMailboxFor(Recipient.Address!.Value) is { } local)
        {
            if (!local.Accepts(Recipient.Address!.Value))
            {
                // An invented, altered or expired return-path tag: refused here, so no bounce of a
                // bounce is ever sent for it (no backscatter), and never relayed.
                return new SmtpReply(550, "5.1.1", "No such mailbox here");
            }

            if (transaction.HasRelayRecipients
                || (transaction.Local is not null && (transaction.Local != local
                    || (local.TakesOneAddressPerTransaction && transaction.LocalRecipient != Recipient.Address))))
            {
                // RFC 5321 4.5.3.1.10: the client sends this recipient again in a transaction of its own.
                return new SmtpReply(452, "4.5.3", "Send mail to this address in a transaction of its own");
            }

            transaction.Local = local;
            transaction.LocalRecipient = Recipient.Address;
            return new SmtpReply(250, "2.1.5", "Recipient OK");
        }

        if (transaction.Local is not null)
        {
            return new SmtpReply(452, "4.5.3", "Send other recipients in a transaction of their own, not with the gateway's own address");
        }

        if (!session.MayRelay)
        {
            return new SmtpReply(554, "5.7.1", "Relay access denied");
        }

        // An upstream MTA would deliver a routed address (the percent hack, a bang path, a quoted
        // "user@domain", a host's own [IP]) to another mailbox than the one the policy checks:
        // refused, not resolved, because the resolution depends on settings the gateway cannot see.
        if (RoutingSyntax.Explain(Recipient.Address!.Value) is { } routing)
        {
            return new SmtpReply(553, "5.1.3", routing);
        }

        if (!transaction.MarkSeen(Recipient))
        {
            return new SmtpReply(250, "2.1.5", "Recipient OK");
        }

        var decision = await session.Policy.CheckAsync(
            new RecipientCheck(Recipient.Address!.Value, session.ClientAddress, transaction.Sender.Mailbox, session.Tenant?.Id),
            cancellationToken);
        switch (decision.Verdict)
        {
            case RecipientVerdict.Deliver:
                transaction.Recipients.Add(Recipient);
                if (decision.Entries is { Count: > 0 } entries)
                {
                    transaction.HoldEntries(Recipient, entries);
                }

                return new SmtpReply(250, "2.1.5", "Recipient OK");
            case RecipientVerdict.Drop:
                transaction.DroppedRecipients.Add((Recipient, decision.Entry!));
                return new SmtpReply(250, "2.1.5", "Recipient OK");
            case RecipientVerdict.Refuse:
                return await session.RecordRefusedRecipientAsync(Recipient, decision.Entry!, cancellationToken)
                    ? new SmtpReply(550, "5.7.1", "Recipient has opted out of this mail")
                    : SuppressionListUnavailable;
            default:
                transaction.ForgetSeen(Recipient);
                return SuppressionListUnavailable;
        }
    }

    private static SmtpReply SuppressionListUnavailable { get; } =
        new(451, "4.3.0", "Suppression list temporarily unavailable, try again later");
}
