namespace Suppression.Webhooks;

/// <summary>
/// What a <c>feedback.review</c> event adds: the held report's review item (its id names it in
/// <c>/api/v1/feedback/review/{id}</c>), the kind of report (<c>dsn</c>, <c>arf</c>, or the ESP's name
/// for a provider event) and what it would do to the recipient (<c>hard-bounce</c>, <c>complaint</c>,
/// <c>soft-bounce</c>, <c>unsubscribe</c>) if a person applied it.
/// </summary>
public sealed record WebhookReview(string Id, string Kind, string Verdict);
