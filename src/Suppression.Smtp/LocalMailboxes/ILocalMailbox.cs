using System.Net;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.LocalMailboxes;

/// <summary>
/// One of the gateway's own mailboxes (the unsubscribe address, the feedback addresses, the signed
/// return paths): mail to it comes from mailbox providers and people anywhere, so it is accepted from
/// any client, handled here and never relayed. A transaction to one has no other recipients.
/// </summary>
public interface ILocalMailbox
{
    bool Accepts(NormalizedAddress recipient);

    /// <summary>
    /// Whether the address is this mailbox's although <see cref="Accepts"/> refuses it (an invalid
    /// return-path tag at its domain): it is then refused at RCPT, and never relayed.
    /// </summary>
    bool Owns(NormalizedAddress recipient) => false;

    /// <summary>Whether each accepted address is a mailbox of its own, so one transaction may carry only one.</summary>
    bool TakesOneAddressPerTransaction => false;

    /// <returns>The reply to the final "."; mail that cannot be recorded now is deferred (4xx), never lost.</returns>
    /// <remarks>Internal, as the transaction is: the session calls it, the host only registers the mailbox.</remarks>
    internal Task<SmtpReply> HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken);
}
