namespace Suppression.Gateway.Audit;

// The JSON that AuditApi writes by hand (AuditEntryFormats.WriteJson, for speed and one format
// shared with NDJSON), described as types for the OpenAPI contract only. The contract tests
// validate real responses against the served document, so the two cannot drift apart unseen.

/// <summary>One page of <c>GET /api/v1/audit</c>.</summary>
/// <param name="Records">The records, newest first.</param>
/// <param name="Next">The cursor for the next page (<c>?after=</c>), or null on the last page.</param>
public sealed record AuditPageDocument(IReadOnlyList<AuditRecordDocument> Records, string? Next);

/// <summary>
/// One audit record. Fields without a value are left out, not null; <c>address</c> is null once erased.
/// </summary>
public sealed class AuditRecordDocument
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>suppressed, resubscribed, blocked, erased, imported, ...</summary>
    public required string Type { get; init; }

    public required string? Address { get; init; }

    /// <summary>The address's keyed hash (HMAC-SHA256), kept after an erasure.</summary>
    public required string? AddressHash { get; init; }

    public string? Scope { get; init; }

    public string? Reason { get; init; }

    public string? Source { get; init; }

    /// <summary>Whether the list changed (false: the entry was already there, or nothing matched).</summary>
    public required bool Changed { get; init; }

    /// <summary>Who acted: an API key's role and fingerprint, the SMTP path, a recipient's IP, ...</summary>
    public required string Actor { get; init; }

    public string? Tenant { get; init; }

    public string? Topic { get; init; }

    public string? ClientIp { get; init; }

    public string? UserAgent { get; init; }

    public string? MessageId { get; init; }

    public string? Sender { get; init; }

    public string? Batch { get; init; }

    public string? Evidence { get; init; }

    /// <summary>For an import's batch record: the file and its counts.</summary>
    public AuditImportDocument? Import { get; init; }

    public required string Chain { get; init; }

    public required long Sequence { get; init; }

    public required string Hash { get; init; }

    /// <summary>This record's place in the search, for <c>?after=</c>.</summary>
    public required string Cursor { get; init; }
}

public sealed record AuditImportDocument(string Format, string FileSha256, long Rows, long Imported, long Unchanged, long Rejected);
