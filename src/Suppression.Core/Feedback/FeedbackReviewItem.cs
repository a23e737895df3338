namespace Suppression.Feedback;

/// <summary>
/// A report that came without proof it is about mail the gateway sent (no signed return path, no
/// token of ours for the complainant), held for a person instead of acted on: what it would have done.
/// </summary>
/// <param name="Kind"><c>dsn</c>, <c>arf</c>, or the ESP's name for a provider event (<c>mailgun</c>, ...).</param>
/// <param name="ReportMessageId">The report's own Message-ID; <paramref name="OriginalMessageId"/> the one it quotes.</param>
/// <param name="Tenant">The tenant it concerns when the reporter says (an ESP account configured for one); null for mailed reports.</param>
public sealed record FeedbackReviewItem(
    string Id,
    DateTimeOffset Received,
    string ClientIp,
    string Kind,
    IReadOnlyList<ReviewedRecipient> Recipients,
    string? ReportMessageId,
    string? OriginalMessageId,
    string? Tenant = null);
