namespace Suppression.Gateway.Webhooks;

/// <summary>The event types an endpoint may ask for (README, Webhooks): a name outside this list is a typo that would silently receive nothing.</summary>
public static class KnownWebhookEvents
{
    /// <summary>Sent only to endpoints that list it: one per blocked recipient is a lot of traffic.</summary>
    public const string DeliveryBlocked = "delivery.blocked";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "suppression.created",
        "suppression.removed",
        "suppression.widened",
        "unsubscribe.received",
        "unsubscribe.undone",
        "bounce.hard",
        "bounce.soft",
        "complaint.received",
        "erasure.completed",
        "feedback.review",
        DeliveryBlocked,
    };
}
