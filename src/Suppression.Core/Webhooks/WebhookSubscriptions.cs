namespace Suppression.Webhooks;

/// <summary>Which endpoints want an event: the subscription filter (docs/design.md, Webhooks).</summary>
public static class WebhookSubscriptions
{
    /// <summary>
    /// Whether the endpoint wants an event of <paramref name="type"/> for <paramref name="tenant"/>:
    /// its Events list names the type (an empty list: every type but <c>delivery.blocked</c>, which
    /// is sent only when named, for its volume), and its Tenants list names the tenant (empty: every
    /// tenant; an event without a tenant goes to every endpoint whose Events want it, since a global
    /// opt-out concerns every tenant).
    /// </summary>
    public static bool Wants(this WebhookSubscription subscription, string type, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(type);
        var typeWanted = subscription.Events.Count == 0
            ? type != WebhookEventTypes.DeliveryBlocked
            : subscription.Events.Contains(type, StringComparer.Ordinal);
        return typeWanted
            && (tenant is null || subscription.Tenants.Count == 0 || subscription.Tenants.Contains(tenant, StringComparer.Ordinal));
    }

    /// <summary>Whether any endpoint wants it: when none does, the change writes no outbox pointer.</summary>
    public static bool AnyWants(this IReadOnlyList<WebhookSubscription> subscriptions, string type, string? tenant)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        foreach (var subscription in subscriptions)
        {
            if (subscription.Wants(type, tenant))
            {
                return true;
            }
        }

        return false;
    }
}
