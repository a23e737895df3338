using System.Diagnostics.CodeAnalysis;
using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>
/// One data row of an import file: either a suppression to add or the reason it cannot be.
/// <see cref="Line"/> is the physical line (1-based, the header is line 1) where the row starts, so
/// an operator can open the file there.
/// </summary>
public readonly record struct ImportRow
{
    private ImportRow(long line, ImportTarget target, SuppressionReason reason, SuppressionScope scope, DateTimeOffset? occurredAt, string? error)
    {
        Line = line;
        Target = target;
        Reason = reason;
        Scope = scope;
        OccurredAt = occurredAt;
        Error = error;
    }

    public long Line { get; }

    /// <summary>The mailbox: by address, or by its mailbox key for a row of our export without one.</summary>
    public ImportTarget Target { get; }

    public SuppressionReason Reason { get; }

    public SuppressionScope Scope { get; }

    /// <summary>When the export says the suppression happened; null when the file does not say.</summary>
    public DateTimeOffset? OccurredAt { get; }

    /// <summary>Why the row cannot be imported, as a short phrase for the import report; null when it can.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Error))]
    public bool IsRejected => Error is not null;

    public static ImportRow Accepted(long line, ImportTarget target, SuppressionReason reason, SuppressionScope scope, DateTimeOffset? occurredAt) =>
        new(line, target, reason, scope, occurredAt, error: null);

    public static ImportRow Rejected(long line, string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(line, default, default, SuppressionScope.Global, occurredAt: null, error);
    }
}
