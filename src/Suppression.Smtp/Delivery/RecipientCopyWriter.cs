using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Dkim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Smtp.Unsubscribe;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// What turns the client's message into the copy one recipient gets. Shared by all sessions; each
/// message gets its own <see cref="RecipientCopies"/>, after its tenant's Feedback-ID (if it has one)
/// has taken the place of the client's.
/// </summary>
/// <param name="stamping">Null when the gateway does not stamp List-Unsubscribe.</param>
/// <param name="signer">Null when no DKIM signer is configured.</param>
/// <param name="returnPaths">Null when no return-path domain is configured: each copy keeps the client's sender.</param>
/// <param name="tenants">Whose Feedback-ID each tenant's mail carries; null when no tenant has one.</param>
public sealed class RecipientCopyWriter(UnsubscribeStamping? stamping, MessageDkimSigner? signer, ReturnPathSigner? returnPaths = null, TenantDirectory? tenants = null)
{
    /// <param name="context">Only marketing mail is stamped: transactional mail has nothing to unsubscribe from.</param>
    internal RecipientCopies Begin(ClientMessage message, MailTransaction transaction, SessionInfo session, MessageContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);

        // Once per message, not per copy: every copy is the same tenant's. Mail of a tenant without a
        // Feedback-ID, or of none, keeps the client's, which the gateway's signature then leaves out.
        var feedbackId = context.Tenant is { } id && tenants is not null && tenants.TryGet(id, out var tenant) ? tenant.FeedbackId : null;
        if (feedbackId is not null)
        {
            FeedbackIdField.Stamp(message.Headers, feedbackId);
        }

        return new(message, transaction, session, context, now, context.Class == MessageClass.Marketing ? stamping : null, signer, returnPaths, feedbackId is not null);
    }
}
