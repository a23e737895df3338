namespace Suppression.Audit;

/// <summary>
/// One stored audit record as searches and exports return it: its place in its chain, its hash, the
/// clear address while it has not been erased, and the record's fields in their contract spellings.
/// </summary>
/// <param name="Chain">The chain the record belongs to (records of one mailbox share a chain).</param>
/// <param name="Address">The normalized address, or null once erased (or when the record concerns no address).</param>
/// <param name="AddressHash">The keyed hash of the mailbox (<see cref="AuditKey.AddressHash"/>); stays after erasure.</param>
public sealed record AuditEntry(string Chain, long Sequence, string Hash, DateTimeOffset Time, AuditEventType Type, string Actor)
{
    public string? Address { get; init; }

    public string? AddressHash { get; init; }

    public string? Scope { get; init; }

    public string? Reason { get; init; }

    public string? Source { get; init; }

    public bool Changed { get; init; }

    public string? Tenant { get; init; }

    public string? Topic { get; init; }

    public string? ClientAddress { get; init; }

    public string? UserAgent { get; init; }

    public string? Evidence { get; init; }

    public string? MessageId { get; init; }

    public string? Sender { get; init; }

    public string? Batch { get; init; }

    public ImportSummary? Import { get; init; }

    /// <summary>An opaque position that <see cref="AuditQuery.After"/> resumes from.</summary>
    public string Cursor => Chain + "/" + Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
