using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Suppressions;

namespace Suppression.Webhooks;

/// <summary>
/// One outbound event: what an audit record says, in the event's own terms. Built from the stored
/// record (its chain and sequence included), never kept apart from it: the audit trail is the
/// event log, so an erasure that blanks the record's address takes it out of every event built later.
/// The one event not about a record, <c>feedback.review</c>, is built the same way from the review
/// item it reports (<see cref="ForReview"/>), and has no chain or sequence.
/// </summary>
/// <param name="Class">The message class the suppression stops (<c>marketing</c> or <c>all</c>); null when the record has no reason.</param>
/// <param name="Address">The clear address; null once erased, and always null on <c>erasure.completed</c>.</param>
/// <param name="AddressHash">The keyed hash of the mailbox (<see cref="AuditKey.AddressHash"/>), as the audit record keeps it.</param>
/// <param name="Review">The held report, on <c>feedback.review</c> only.</param>
public sealed record WebhookEvent(
    string Id,
    string Type,
    DateTimeOffset Time,
    string? Tenant,
    string? Topic,
    string? Scope,
    string? Class,
    string? Reason,
    string? Source,
    string Actor,
    string? Chain,
    long? Sequence,
    string? MessageId,
    string? Address,
    string? AddressHash,
    WebhookReview? Review = null)
{
    public const string MarketingClass = "marketing";
    public const string AllClasses = "all";

    /// <summary>The event the stored record emits, or null when it emits none (<see cref="WebhookEventTypes"/>).</summary>
    public static WebhookEvent? From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (WebhookEventTypes.Of(entry) is not { } type)
        {
            return null;
        }

        return new WebhookEvent(
            WebhookEventId.Of(entry.Chain, entry.Sequence), type, entry.Time, entry.Tenant, entry.Topic, entry.Scope, ClassOf(entry.Reason), entry.Reason,
            entry.Source, entry.Actor, entry.Chain, entry.Sequence, entry.MessageId,
            type == WebhookEventTypes.ErasureCompleted ? null : entry.Address, entry.AddressHash);
    }

    /// <summary>
    /// The <c>feedback.review</c> event of one recipient of a held report: its time is the report's
    /// arrival, its actor the kind of report, its scope, reason and source what applying it would write.
    /// </summary>
    /// <param name="addressHash">The recipient's keyed mailbox hash, as the audit trail (and an erasure) computes it.</param>
    public static WebhookEvent ForReview(FeedbackReviewItem item, ReviewedRecipient recipient, string addressHash)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentException.ThrowIfNullOrEmpty(addressHash);
        var topic = SuppressionScope.TryParse(recipient.Scope, out var scope) ? scope.Topic : null;
        return new WebhookEvent(
            WebhookEventId.OfReview(item.Id, addressHash), WebhookEventTypes.FeedbackReview, item.Received, TenantOf(item, recipient), topic,
            recipient.Scope, ClassOf(recipient.Reason), recipient.Reason, recipient.Source, item.Kind, Chain: null, Sequence: null, item.OriginalMessageId,
            recipient.Address, addressHash, new WebhookReview(item.Id, item.Kind, recipient.Verdict));
    }

    /// <summary>The tenant a held report concerns: the one its ESP account is configured for, else the one its scope names, else none.</summary>
    public static string? TenantOf(FeedbackReviewItem item, ReviewedRecipient recipient)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(recipient);
        return item.Tenant ?? (SuppressionScope.TryParse(recipient.Scope, out var scope) ? scope.Tenant : null);
    }

    // What the entry blocks (docs/design.md, consent model): the reason decides, not the message.
    private static string? ClassOf(string? reason) =>
        !ContractNames.TryParseReason(reason, out var parsed) ? null
        : new SuppressionEntry(SuppressionScope.Global, parsed, SuppressionSource.Api, DateTimeOffset.UnixEpoch).Blocks(MessageClass.Transactional) ? AllClasses
        : MarketingClass;
}
