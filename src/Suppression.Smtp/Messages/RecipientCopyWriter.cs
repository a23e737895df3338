using MimeKit;
using Suppression.Smtp.Messages.Dkim;
using Suppression.Smtp.Messages.Unsubscribe;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Messages;

/// <summary>
/// What turns the client's message into the copy one recipient gets. Shared by all sessions; each
/// message gets its own <see cref="RecipientCopies"/>.
/// </summary>
/// <param name="stamping">Null when the gateway does not stamp List-Unsubscribe.</param>
/// <param name="signer">Null when no DKIM signer is configured.</param>
public sealed class RecipientCopyWriter(UnsubscribeStamping? stamping, MessageDkimSigner? signer)
{
    public static RecipientCopyWriter PassThrough { get; } = new(null, null);

    public RecipientCopies Begin(MimeMessage message, MailTransaction transaction, SessionInfo session, DateTimeOffset now) =>
        new(message, transaction, session, now, stamping, signer);
}
