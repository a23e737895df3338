namespace Suppression.Suppressions;

/// <summary>One opt-out or block of one address: what it covers, why, where it came from and when.</summary>
public sealed record SuppressionEntry(
    SuppressionScope Scope,
    SuppressionReason Reason,
    SuppressionSource Source,
    DateTimeOffset CreatedAt)
{
    /// <summary>
    /// Unsubscribes and complaints are about marketing only; bounces, manual blocks and erasures
    /// stop every class (docs/design.md, consent model). Imports carry no reason of their own, so they
    /// are treated as opt-outs: a password reset still reaches someone whose old ESP list we loaded.
    /// </summary>
    public bool Blocks(MessageClass messageClass) => Reason switch
    {
        SuppressionReason.Unsubscribe or SuppressionReason.Complaint or SuppressionReason.Import =>
            messageClass == MessageClass.Marketing,
        _ => true,
    };
}
