using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Audit;

/// <summary>
/// One audit event as the gateway writes it: what happened, when, and who did it, plus whatever of
/// the rest applies (a blocked delivery has a Message-ID and a sender, an import a summary). The
/// store writes it in the same atomic step as the change it records (docs/design.md, audit).
/// </summary>
/// <param name="Actor">
/// Who did it, never a secret: <c>api-key:&lt;fingerprint&gt;</c>, <c>token</c> (the holder of an
/// unsubscribe link), <c>dsn</c>, <c>arf</c>, <c>relay</c>, <c>smtp:&lt;client IP&gt;</c>.
/// </param>
public sealed record AuditRecord(DateTimeOffset Time, AuditEventType Type, string Actor)
{
    public NormalizedAddress? Address { get; init; }

    public SuppressionScope? Scope { get; init; }

    public SuppressionReason? Reason { get; init; }

    public SuppressionSource? Source { get; init; }

    /// <summary>Whether the suppression list changed (a repeated click is recorded too, but changes nothing).</summary>
    public bool Changed { get; init; }

    /// <summary>The tenant the unsubscribe link or the relayed message was for, if any.</summary>
    public string? Tenant { get; init; }

    /// <summary>The topic (list) the unsubscribe link was for, if any.</summary>
    public string? Topic { get; init; }

    /// <summary>The IP address the request came from (HTTP client or SMTP client).</summary>
    public string? ClientAddress { get; init; }

    /// <summary>The HTTP User-Agent; for mail, null.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Free text a person can read: what the request was (e.g. "undo on the confirmation page").</summary>
    public string? Evidence { get; init; }

    /// <summary>The Message-ID of the message concerned: the blocked one, or the one a link or report came from.</summary>
    public string? MessageId { get; init; }

    /// <summary>The envelope sender of a blocked delivery.</summary>
    public string? Sender { get; init; }

    /// <summary>The import batch an entry came from; on an <see cref="AuditEventType.Imported"/> record, its own id.</summary>
    public string? Batch { get; init; }

    /// <summary>What an import did; only on <see cref="AuditEventType.Imported"/> records.</summary>
    public ImportSummary? Import { get; init; }
}

/// <summary>The counts of one import batch, as its audit record keeps them.</summary>
public sealed record ImportSummary(string Format, string FileSha256, long Rows, long Imported, long Unchanged, long Rejected)
{
    /// <summary>As the <c>import</c> object of a record: one spelling for the stored body and the API.</summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("import");
        writer.WriteString("format", Format);
        writer.WriteString("fileSha256", FileSha256);
        writer.WriteNumber("rows", Rows);
        writer.WriteNumber("imported", Imported);
        writer.WriteNumber("unchanged", Unchanged);
        writer.WriteNumber("rejected", Rejected);
        writer.WriteEndObject();
    }
}
