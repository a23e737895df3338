using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// What a report says about one recipient. <see cref="Action"/>, <see cref="Status"/> and
/// <see cref="Diagnostic"/> come from a DSN's per-recipient fields (RFC 3464 2.3) and are null for
/// complaints.
/// </summary>
public sealed record FeedbackRecipient(
    NormalizedAddress Address,
    FeedbackOutcome Outcome,
    string? Action = null,
    string? Status = null,
    string? Diagnostic = null)
{
    public SuppressionReason? SuppressionReason => Outcome switch
    {
        FeedbackOutcome.HardBounce => Suppressions.SuppressionReason.HardBounce,
        FeedbackOutcome.Complaint => Suppressions.SuppressionReason.Complaint,
        _ => null,
    };
}
