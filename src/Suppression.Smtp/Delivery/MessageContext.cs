using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>Whose message this is, on which list, and what kind: what decides which opt-outs apply.</summary>
/// <param name="Tenant">The sending tenant's id, or null for mail relayed for nobody in particular.</param>
/// <param name="Topic">The list or category, or null; only meaningful with a tenant.</param>
public sealed record MessageContext(string? Tenant, string? Topic, MessageClass Class)
{
    public static MessageContext UntenantedMarketing { get; } = new(null, null, MessageClass.Marketing);

    /// <summary>
    /// Whose opt-outs the message answers to: its tenant's, or, for relay mail that names no tenant
    /// while tenants are configured, every tenant's (its link stays the global one).
    /// </summary>
    public ApplicableScopes Scopes { get; init; } = ApplicableScopes.For(Tenant, Topic);

    /// <summary>
    /// The entry among an address's entries that stops this message, or null when none does: the
    /// decision after DATA, and the batch check's, so the two cannot drift apart.
    /// </summary>
    public SuppressionEntry? BlockingEntry(IReadOnlyList<SuppressionEntry> entries) =>
        SuppressionPolicy.FindBlockingEntry(entries, Class, Scopes);
}
