using System.Globalization;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Webhooks;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// What the audit writer needs to know of webhooks: which records get an outbox pointer (those whose
/// event some endpoint wants), and how a pointer is spelt. Without it (no endpoints configured) the
/// writer's script touches no outbox at all.
/// </summary>
public sealed class WebhookOutbox
{
    public WebhookOutbox(IReadOnlyList<WebhookSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        Subscriptions = subscriptions;
    }

    public IReadOnlyList<WebhookSubscription> Subscriptions { get; }

    /// <summary>Whether the record's event goes to any endpoint.</summary>
    public bool Wants(AuditRecord record) => WebhookEventTypes.Of(record) is { } type && Subscriptions.AnyWants(type, record.Tenant);

    /// <summary>Whether a held report's <c>feedback.review</c> event goes to any endpoint, for any of its recipients.</summary>
    public bool WantsReview(FeedbackReviewItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Recipients.Any(recipient => Subscriptions.AnyWants(WebhookEventTypes.FeedbackReview, WebhookEvent.TenantOf(item, recipient)));
    }

    /// <summary>An outbox pointer, the record's position: <c>&lt;chain&gt;\t&lt;sequence&gt;</c>.</summary>
    public static string PositionOf(string chain, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{chain}\t{sequence}");

    public static bool TryParsePosition(string? position, out string chain, out long sequence)
    {
        chain = string.Empty;
        sequence = 0;
        var tab = position?.IndexOf('\t', StringComparison.Ordinal) ?? -1;
        if (tab < 1 || !long.TryParse(position.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence))
        {
            return false;
        }

        chain = position![..tab];
        return true;
    }
}
