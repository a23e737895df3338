namespace Suppression.Suppressions;

/// <summary>Decides, from the entries stored for one address, whether a given message may reach it.</summary>
public static class SuppressionPolicy
{
    /// <returns>The entry that blocks the message, or null when none does.</returns>
    public static SuppressionEntry? FindBlockingEntry(
        IReadOnlyList<SuppressionEntry> entries,
        MessageClass messageClass,
        string? tenant,
        string? topic)
    {
        SuppressionEntry? blocking = null;
        foreach (var entry in entries)
        {
            // Prefer the widest scope: it is the one a compliance officer would cite.
            if (entry.Blocks(messageClass) && entry.Scope.Covers(tenant, topic)
                && (blocking is null || entry.Scope.Kind < blocking.Scope.Kind))
            {
                blocking = entry;
            }
        }

        return blocking;
    }
}
