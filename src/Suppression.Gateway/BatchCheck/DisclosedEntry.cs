namespace Suppression.Gateway.BatchCheck;

/// <summary>What a caller is shown of the entry that decided a "suppressed" answer; a null member is withheld.</summary>
public sealed record DisclosedEntry(string? Scope, string? Reason, string? Source, DateTimeOffset? CreatedAt)
{
    public static DisclosedEntry Nothing { get; } = new(null, null, null, null);
}
