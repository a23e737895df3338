using Suppression.Addresses;

namespace Suppression.Audit;

/// <summary>
/// The read side of the audit trail: search and export, chain verification, and the daily counts
/// the console charts. Records are written by the stores, with the changes they record.
/// </summary>
public interface IAuditTrail
{
    /// <summary>
    /// The matching records, streamed. For one address they come in the order they happened; without
    /// an address, chain by chain (each chain in order), which is what keeps the memory constant.
    /// </summary>
    IAsyncEnumerable<AuditEntry> SearchAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Recomputes every chain; <paramref name="progress"/> hears the number of records checked so far.</summary>
    Task<AuditVerification> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>Per UTC day, how many suppressions (by reason), blocked deliveries and overridden opt-outs there were.</summary>
    Task<IReadOnlyList<AuditDailyCount>> DailyCountsAsync(DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken);
}

/// <summary>What to search for; every part is optional.</summary>
/// <param name="After">A <see cref="AuditEntry.Cursor"/>: resume after that record.</param>
public sealed record AuditQuery(
    NormalizedAddress? Address = null,
    IReadOnlySet<AuditEventType>? Types = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? After = null)
{
    public bool Matches(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (Types is null || Types.Count == 0 || Types.Contains(entry.Type))
            && (From is null || entry.Time >= From)
            && (To is null || entry.Time < To);
    }
}

/// <summary>The result of recomputing the chains: where the first break is, if any.</summary>
public sealed record AuditVerification(bool Ok, long Records, long Chains, string? FirstBadChain, long? FirstBadSequence, string? Problem);

/// <summary>One UTC day's counts: new suppressions by reason name, blocked deliveries, and transactional copies sent past an opt-out.</summary>
public sealed record AuditDailyCount(DateOnly Day, long Unsubscribes, long Complaints, long Bounces, long Blocked, long Overridden = 0);
