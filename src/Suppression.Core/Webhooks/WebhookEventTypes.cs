using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Webhooks;

/// <summary>
/// The event types (*contract*) and the one table that maps an audit record to at most one of them
/// (docs/design.md, Webhooks). The most specific type wins: a new one-click unsubscribe is
/// <c>unsubscribe.received</c>, not also <c>suppression.created</c>. A record that changed nothing emits nothing.
/// </summary>
public static class WebhookEventTypes
{
    public const string SuppressionCreated = "suppression.created";
    public const string SuppressionRemoved = "suppression.removed";
    public const string SuppressionWidened = "suppression.widened";
    public const string UnsubscribeReceived = "unsubscribe.received";
    public const string UnsubscribeUndone = "unsubscribe.undone";
    public const string BounceHard = "bounce.hard";
    public const string BounceSoft = "bounce.soft";
    public const string ComplaintReceived = "complaint.received";
    public const string ErasureCompleted = "erasure.completed";
    public const string FeedbackReview = "feedback.review";
    public const string DeliveryBlocked = "delivery.blocked";

    public static IReadOnlyList<string> All { get; } =
    [
        SuppressionCreated, SuppressionRemoved, SuppressionWidened, UnsubscribeReceived, UnsubscribeUndone,
        BounceHard, BounceSoft, ComplaintReceived, ErasureCompleted, FeedbackReview, DeliveryBlocked,
    ];

    // The soft-bounce limit writes a hard-bounce entry whose evidence says so (FeedbackHandler); it
    // is the only thing that tells the two apart in a record.
    private const string SoftBounceEvidence = " soft bounces within ";

    /// <summary>The event a record emits when written, or null.</summary>
    public static string? Of(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Of(record.Type, record.Changed, record.Reason, record.Source, record.Evidence);
    }

    /// <summary>The event a stored record emits, or null (also for reasons and sources this version cannot read).</summary>
    public static string? Of(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        SuppressionReason? reason = ContractNames.TryParseReason(entry.Reason, out var parsedReason) ? parsedReason : null;
        SuppressionSource? source = ContractNames.TryParseSource(entry.Source, out var parsedSource) ? parsedSource : null;
        return Of(entry.Type, entry.Changed, reason, source, entry.Evidence);
    }

    private static string? Of(AuditEventType type, bool changed, SuppressionReason? reason, SuppressionSource? source, string? evidence) => type switch
    {
        // A blocked delivery changes nothing by definition; it is the one event not about a change.
        AuditEventType.Blocked => DeliveryBlocked,
        _ when !changed => null,
        AuditEventType.Suppressed => reason switch
        {
            SuppressionReason.Unsubscribe when source is SuppressionSource.OneClick or SuppressionSource.Page or SuppressionSource.Mailto or SuppressionSource.Preferences => UnsubscribeReceived,
            SuppressionReason.HardBounce when evidence?.Contains(SoftBounceEvidence, StringComparison.Ordinal) == true => BounceSoft,
            SuppressionReason.HardBounce => BounceHard,
            SuppressionReason.Complaint => ComplaintReceived,
            _ => SuppressionCreated,
        },
        AuditEventType.Widened => SuppressionWidened,

        // The confirmation page's Undo and the preference page's opt back in are the only removals a
        // link's holder can make (UnsubscribeActions).
        AuditEventType.Resubscribed when source is SuppressionSource.Page or SuppressionSource.OneClick or SuppressionSource.Mailto or SuppressionSource.Preferences => UnsubscribeUndone,
        AuditEventType.Resubscribed => SuppressionRemoved,
        AuditEventType.Erased => ErasureCompleted,
        _ => null,
    };
}
