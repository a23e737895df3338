namespace Suppression.Feedback;

/// <summary>
/// A report that came without proof it is about mail the gateway sent (no signed return path, no
/// token of ours for the complainant), held for a person instead of acted on: what it would have done.
/// </summary>
/// <param name="Kind"><c>dsn</c> or <c>arf</c>.</param>
/// <param name="ReportMessageId">The report's own Message-ID; <paramref name="OriginalMessageId"/> the one it quotes.</param>
public sealed record FeedbackReviewItem(
    string Id,
    DateTimeOffset Received,
    string ClientIp,
    string Kind,
    IReadOnlyList<ReviewedRecipient> Recipients,
    string? ReportMessageId,
    string? OriginalMessageId);
