namespace Suppression.Suppressions;

/// <summary>Decides, from the entries stored for one address, whether a given message may reach it.</summary>
public static class SuppressionPolicy
{
    /// <returns>The entry that blocks the message, or null when none does.</returns>
    public static SuppressionEntry? FindBlockingEntry(
        IReadOnlyList<SuppressionEntry> entries,
        MessageClass messageClass,
        string? tenant,
        string? topic) =>
        FindBlockingEntry(entries, messageClass, ApplicableScopes.For(tenant, topic));

    /// <summary>
    /// Decides in memory from the entries read once for the mailbox, so a message that answers to
    /// several tenants' opt-outs costs no more round trips than one that answers to one.
    /// </summary>
    /// <returns>The entry that blocks the message, or null when none does.</returns>
    public static SuppressionEntry? FindBlockingEntry(IReadOnlyList<SuppressionEntry> entries, MessageClass messageClass, ApplicableScopes scopes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(scopes);
        SuppressionEntry? blocking = null;
        foreach (var entry in entries)
        {
            // Prefer the widest scope: it is the one a compliance officer would cite.
            if (entry.Blocks(messageClass) && scopes.Covers(entry.Scope)
                && (blocking is null || entry.Scope.Kind < blocking.Scope.Kind))
            {
                blocking = entry;
            }
        }

        return blocking;
    }

    /// <summary>
    /// At RCPT the message's class and topic are not known yet (they come with its headers), so only an
    /// entry that would block any message this client can send decides there: one that blocks every
    /// class (a hard bounce, a manual block, an erasure) in the global scope, or in the scope of the
    /// tenant the session is bound to. Everything else is decided after DATA.
    /// </summary>
    public static SuppressionEntry? FindEntryBlockingAnyMessage(IReadOnlyList<SuppressionEntry> entries, string? boundTenant)
    {
        ArgumentNullException.ThrowIfNull(entries);
        SuppressionEntry? blocking = null;
        foreach (var entry in entries)
        {
            var coversEveryMessage = entry.Scope.Kind == ScopeKind.Global
                || (entry.Scope.Kind == ScopeKind.Tenant && boundTenant is not null && entry.Scope.Covers(boundTenant, topic: null));
            if (coversEveryMessage && entry.Blocks(MessageClass.Transactional) && entry.Blocks(MessageClass.Marketing)
                && (blocking is null || entry.Scope.Kind < blocking.Scope.Kind))
            {
                blocking = entry;
            }
        }

        return blocking;
    }
}
