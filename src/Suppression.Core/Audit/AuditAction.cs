namespace Suppression.Audit;

/// <summary>What a consent record says happened to an address.</summary>
public enum AuditAction
{
    /// <summary>An opt-out or block was requested; <see cref="AuditRecord.Changed"/> says whether it was new.</summary>
    Suppressed,

    /// <summary>A suppression was removed: re-consent, with its evidence.</summary>
    Resubscribed,
}
