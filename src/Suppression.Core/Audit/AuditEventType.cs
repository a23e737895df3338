namespace Suppression.Audit;

/// <summary>What an audit record says happened. Spelt in the contract by <see cref="AuditEventTypes"/>.</summary>
public enum AuditEventType
{
    /// <summary>An opt-out or block was requested; <see cref="AuditRecord.Changed"/> says whether it was new.</summary>
    Suppressed,

    /// <summary>A list opt-out was widened to everything the same sender sends.</summary>
    Widened,

    /// <summary>A suppression was removed: re-consent, with its evidence.</summary>
    Resubscribed,

    /// <summary>The clear address was removed from every record and entry (GDPR Art. 17); the suppression stays.</summary>
    Erased,

    /// <summary>A delivery was dropped or refused because the recipient is suppressed.</summary>
    Blocked,

    /// <summary>A batch of suppressions was imported from a file; its entries point to this record's batch.</summary>
    Imported,

    /// <summary>A transactional message was relayed to a recipient past an opt-out that stops marketing (the tenant's permission used).</summary>
    Overridden,

    /// <summary>
    /// A person dismissed a report held for review: one record per recipient it named, in that
    /// mailbox's history, and nothing changed.
    /// </summary>
    Dismissed,
}

/// <summary>The contract spellings of <see cref="AuditEventType"/> (API filters, exports, stored records).</summary>
public static class AuditEventTypes
{
    private static readonly (AuditEventType Type, string Name)[] Names =
    [
        (AuditEventType.Suppressed, "suppressed"),
        (AuditEventType.Widened, "widened"),
        (AuditEventType.Resubscribed, "resubscribed"),
        (AuditEventType.Erased, "erased"),
        (AuditEventType.Blocked, "blocked"),
        (AuditEventType.Imported, "imported"),
        (AuditEventType.Overridden, "overridden"),
        (AuditEventType.Dismissed, "dismissed"),
    ];

    public static IEnumerable<string> AllNames => Names.Select(pair => pair.Name);

    public static string Name(this AuditEventType type) => Array.Find(Names, pair => pair.Type == type).Name;

    public static bool TryParse(string? name, out AuditEventType type)
    {
        foreach (var pair in Names)
        {
            if (string.Equals(pair.Name, name, StringComparison.Ordinal))
            {
                type = pair.Type;
                return true;
            }
        }

        type = default;
        return false;
    }
}
