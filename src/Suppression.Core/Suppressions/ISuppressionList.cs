using Suppression.Addresses;
using Suppression.Audit;

namespace Suppression.Suppressions;

/// <summary>The whole suppression list in bulk: exported entry by entry, imported in chunks.</summary>
public interface ISuppressionList
{
    /// <summary>Every entry of every mailbox, streamed in storage order (constant memory).</summary>
    IAsyncEnumerable<ListedSuppression> ExportAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A name for a new import batch, unique in the store: <c>b-</c> and the store's next batch
    /// number. Numbered rather than random, because every imported entry stores it.
    /// </summary>
    Task<string> NewBatchAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Adds each row's entry unless its mailbox has an entry of that scope already: an import never
    /// replaces or removes a suppression. Entries name <paramref name="batch"/>; the caller writes
    /// the batch's one audit record.
    /// </summary>
    Task<ImportCounts> ImportAsync(IReadOnlyList<(ImportTarget Mailbox, SuppressionEntry Entry)> rows, string batch, CancellationToken cancellationToken);

    /// <summary>Writes an import batch's one audit record (<see cref="AuditEventType.Imported"/>).</summary>
    Task RecordBatchAsync(AuditRecord batch, CancellationToken cancellationToken);
}

/// <summary>One exported entry.</summary>
/// <param name="Address">The normalized address, or null when it was erased, or the store is hashed (or it was stored before addresses were kept).</param>
/// <param name="AddressHash">The keyed hash of the mailbox (the audit trail's), when known.</param>
/// <param name="Batch">The import batch the entry came from, if it was imported.</param>
/// <param name="MailboxKey">Where the store keeps the mailbox: what imports a row that has no address.</param>
public sealed record ListedSuppression(string? Address, string? AddressHash, SuppressionEntry Entry, string? Batch, MailboxKey MailboxKey);

/// <summary>What one import chunk did: rows added, and rows whose mailbox had that scope already.</summary>
public readonly record struct ImportCounts(long Imported, long Unchanged)
{
    public static ImportCounts operator +(ImportCounts left, ImportCounts right) => new(left.Imported + right.Imported, left.Unchanged + right.Unchanged);

    public static ImportCounts Add(ImportCounts left, ImportCounts right) => left + right;
}
