using MimeKit;
using Suppression.Smtp.Messages.Dkim;
using Suppression.Smtp.Messages.ReturnPath;
using Suppression.Smtp.Messages.Unsubscribe;
using Suppression.Smtp.Server;
using Suppression.Suppressions;

namespace Suppression.Smtp.Messages;

/// <summary>
/// What turns the client's message into the copy one recipient gets. Shared by all sessions; each
/// message gets its own <see cref="RecipientCopies"/>.
/// </summary>
/// <param name="stamping">Null when the gateway does not stamp List-Unsubscribe.</param>
/// <param name="signer">Null when no DKIM signer is configured.</param>
/// <param name="returnPaths">Null when no return-path domain is configured: each copy keeps the client's sender.</param>
public sealed class RecipientCopyWriter(UnsubscribeStamping? stamping, MessageDkimSigner? signer, ReturnPathSigner? returnPaths = null)
{
    public static RecipientCopyWriter PassThrough { get; } = new(null, null);

    /// <param name="context">Only marketing mail is stamped: transactional mail has nothing to unsubscribe from.</param>
    public RecipientCopies Begin(MimeMessage message, MailTransaction transaction, SessionInfo session, MessageContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(message, transaction, session, context, now, context.Class == MessageClass.Marketing ? stamping : null, signer, returnPaths);
    }
}
