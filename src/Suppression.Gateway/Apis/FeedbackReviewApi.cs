using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// The reports nothing authenticated (<c>Suppression:Feedback:Unauthenticated</c> = <c>Review</c>):
/// <c>GET /api/v1/feedback/review[/{id}]</c> lists them with what each would have done;
/// <c>POST .../{id}/apply</c> (admin) writes those suppressions, audited with the key's actor;
/// <c>POST .../{id}/dismiss</c> (admin) drops the report, logged with the actor.
/// </summary>
public static class FeedbackReviewApi
{
    private const int MaxListed = 1000;

    public static RouteGroupBuilder MapFeedbackReviewApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/feedback/review", ListAsync);
        api.MapGet("/feedback/review/{id}", GetAsync);
        api.MapPost("/feedback/review/{id}/apply", ApplyAsync);
        api.MapPost("/feedback/review/{id}/dismiss", DismissAsync);
        return api;
    }

    private static async Task<Ok<FeedbackReviewResponse>> ListAsync(IFeedbackReview review, CancellationToken cancellationToken)
    {
        var items = await review.ListAsync(MaxListed + 1, cancellationToken);
        return TypedResults.Ok(new FeedbackReviewResponse([.. items.Take(MaxListed)], items.Count > MaxListed));
    }

    private static async Task<Results<Ok<FeedbackReviewItem>, ProblemHttpResult>> GetAsync(string id, IFeedbackReview review, CancellationToken cancellationToken) =>
        await review.GetAsync(id, cancellationToken) is { } item ? TypedResults.Ok(item) : NotQueued();

    private static async Task<Results<Ok<FeedbackReviewApplied>, ProblemHttpResult>> ApplyAsync(
        string id, HttpContext http, IFeedbackReview review, ISuppressionStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await review.GetAsync(id, cancellationToken) is not { } item)
        {
            return NotQueued();
        }

        var now = time.GetUtcNow();
        var suppressed = 0;
        foreach (var recipient in item.Recipients)
        {
            // A soft bounce is shown for context; it never was a suppression on its own.
            if (!ContractNames.TryParseReason(recipient.Reason, out var reason) || !ContractNames.TryParseSource(recipient.Source, out var source)
                || !SuppressionScope.TryParse(recipient.Scope, out var scope) || !AddressNormalizer.TryNormalize(recipient.Address, out var address, out _))
            {
                continue;
            }

            var entry = new SuppressionEntry(scope, reason, source, DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()));
            suppressed += await store.AddAsync(
                address,
                entry,
                ApiAudit.Record(http, now, AuditEventType.Suppressed) with
                {
                    Scope = scope,
                    Reason = reason,
                    Source = source,
                    Tenant = scope.Tenant,
                    Evidence = $"{recipient.Evidence}; unauthenticated report from {item.ClientIp} applied from review item {item.Id}",
                    MessageId = item.OriginalMessageId,
                },
                cancellationToken) ? 1 : 0;
        }

        await review.RemoveAsync(id, cancellationToken);
        loggers.CreateLogger("Suppression.Api").LogInformation(
            "Feedback review item {ReviewId} applied by {Actor}: {SuppressedCount} suppression(s) written", id, http.Items[ApiKeyFilter.ActorItem], suppressed);
        return TypedResults.Ok(new FeedbackReviewApplied(id, suppressed));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DismissAsync(
        string id, HttpContext http, IFeedbackReview review, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!await review.RemoveAsync(id, cancellationToken))
        {
            return NotQueued();
        }

        loggers.CreateLogger("Suppression.Api").LogInformation("Feedback review item {ReviewId} dismissed by {Actor}", id, http.Items[ApiKeyFilter.ActorItem]);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotQueued() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
            detail: "No report with this id is waiting for review: it was applied, dismissed, or is past Suppression:Feedback:ReviewRetention.");
}

public sealed record FeedbackReviewResponse(IReadOnlyList<FeedbackReviewItem> Items, bool Truncated);

public sealed record FeedbackReviewApplied(string Id, int Suppressed);
