namespace Suppression.Suppressions;

public enum SuppressionReason
{
    Unsubscribe,
    Complaint,
    HardBounce,
    Manual,
    Import,
    Erasure,
}
