using Suppression.Suppressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// What a mail received at a feedback address reports. <see cref="Reason"/> says why a report was
/// not understood (<see cref="FeedbackKind.Unrecognized"/>, <see cref="FeedbackKind.Malformed"/>),
/// or which parts of an understood one were skipped; it is empty when everything was read.
/// </summary>
public sealed record FeedbackReport
{
    public required FeedbackKind Kind { get; init; }

    public IReadOnlyList<FeedbackRecipient> Recipients { get; init; } = [];

    public string Reason { get; init; } = string.Empty;

    // Without angle brackets, as MimeKit returns it; null when the report quotes no original.
    public string? OriginalMessageId { get; init; }

    /// <summary>
    /// The List-Unsubscribe header of the reported message, when the report returns it: the gateway's
    /// own stamp, whose token says which tenant's mail was complained about.
    /// </summary>
    public string? OriginalListUnsubscribe { get; init; }

    public ComplaintDetails? Complaint { get; init; }

    public SuppressionSource? Source => Kind switch
    {
        FeedbackKind.DeliveryStatus => SuppressionSource.Dsn,
        FeedbackKind.Complaint => SuppressionSource.Arf,
        _ => null,
    };

    internal static FeedbackReport Unrecognized(string reason) => new() { Kind = FeedbackKind.Unrecognized, Reason = reason };

    internal static FeedbackReport Malformed(string reason, string? originalMessageId = null) =>
        new() { Kind = FeedbackKind.Malformed, Reason = reason, OriginalMessageId = originalMessageId };
}
