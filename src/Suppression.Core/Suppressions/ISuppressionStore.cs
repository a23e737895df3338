using Suppression.Addresses;
using Suppression.Audit;

namespace Suppression.Suppressions;

/// <summary>
/// The suppression list. Implementations keep every entry durable before returning, because an
/// opt-out must hold for the very next message.
/// </summary>
public interface ISuppressionStore
{
    /// <summary>All entries of each address, in the order given, in one round trip.</summary>
    Task<IReadOnlyList<SuppressionEntry>[]> GetEntriesAsync(IReadOnlyList<NormalizedAddress> addresses, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the entry and appends <paramref name="record"/> (with <see cref="AuditRecord.Changed"/> set to
    /// the outcome) in one atomic step: there is never a change without its record, or a record of a
    /// change that did not happen. A request that changes nothing is recorded too.
    /// </summary>
    /// <returns>True when the entry was added; false when the address already had an entry of that scope.</returns>
    Task<bool> AddAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>As <see cref="AddAsync"/>, and says where the record went when the entry was added, so the change can be reverted by exactly that record.</summary>
    /// <returns>The position of the record when the entry was added; null when the address already had an entry of that scope.</returns>
    Task<AuditPosition?> AddAndLocateAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entry of <paramref name="scope"/> that the record at <paramref name="added"/> put
    /// there, and appends <paramref name="record"/>, in one atomic step, but only while that record
    /// is the newest of this mailbox about the scope: once anything newer asked for it (a repeated
    /// request, another link, a complaint, the API), the entry is no longer only that record's.
    /// </summary>
    Task<RevertOutcome> RevertAsync(NormalizedAddress address, SuppressionScope scope, AuditPosition added, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the entries of one scope, or of every scope when <paramref name="scope"/> is null, and
    /// appends <paramref name="record"/> in the same atomic step, unless nothing was removed.
    /// </summary>
    /// <returns>The number of entries removed.</returns>
    Task<int> RemoveAsync(NormalizedAddress address, SuppressionScope? scope, AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Whether the store can be consulted right now.</summary>
    Task<bool> IsAvailableAsync(CancellationToken cancellationToken);
}
