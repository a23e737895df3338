using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Feedback;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;

namespace Suppression.Gateway.Feedback;

/// <summary>
/// The reports nothing authenticated (<c>Suppression:Feedback:Unauthenticated</c> = <c>Review</c>):
/// <c>GET /api/v1/feedback/review[/{id}]</c> lists them with what each would have done;
/// <c>POST .../{id}/apply</c> (admin) writes those suppressions, audited with the key's actor;
/// <c>POST .../{id}/dismiss</c> (admin) drops the report, audited with the actor as <c>dismissed</c>
/// records. The console's review page makes the same decisions (<see cref="FeedbackReviewDecisions"/>).
/// </summary>
public static class FeedbackReviewApi
{
    private const int MaxListed = 1000;

    public static RouteGroupBuilder MapFeedbackReviewApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/feedback/review", ListAsync)
            .Documented(ApiContract.FeedbackTag, "listFeedbackReview", "Reports held for a person",
                "Bounce and complaint reports the gateway would not act on alone (not provably for mail it sent, or ambiguous), oldest first. Admin and compliance keys.");
        api.MapGet("/feedback/review/{id}", GetAsync)
            .Documented(ApiContract.FeedbackTag, "getFeedbackReviewItem", "One held report",
                "The report, its recipients and why it was held. Admin and compliance keys.", StatusCodes.Status404NotFound);
        api.MapPost("/feedback/review/{id}/apply", ApplyAsync)
            .Documented(ApiContract.FeedbackTag, "applyFeedbackReviewItem", "Act on a held report",
                "Suppresses its recipients as the report says, audited with the reviewer as actor. Admin keys only.", StatusCodes.Status404NotFound);
        api.MapPost("/feedback/review/{id}/dismiss", DismissAsync)
            .Documented(ApiContract.FeedbackTag, "dismissFeedbackReviewItem", "Dismiss a held report",
                "Drops the report without suppressing anyone; logged with the reviewer. Admin keys only.", StatusCodes.Status404NotFound);
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
        string id, HttpContext http, FeedbackReviewDecisions decisions, CancellationToken cancellationToken) =>
        await decisions.ApplyAsync(id, ApiAudit.ReviewerOf(http), cancellationToken) is { } suppressed
            ? TypedResults.Ok(new FeedbackReviewApplied(id, suppressed))
            : NotQueued();

    private static async Task<Results<NoContent, ProblemHttpResult>> DismissAsync(
        string id, HttpContext http, FeedbackReviewDecisions decisions, CancellationToken cancellationToken) =>
        await decisions.DismissAsync(id, ApiAudit.ReviewerOf(http), cancellationToken) ? TypedResults.NoContent() : NotQueued();

    private static ProblemHttpResult NotQueued() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found",
            detail: "No report with this id is waiting for review: it was applied, dismissed, or is past Suppression:Feedback:ReviewRetention.");
}

public sealed record FeedbackReviewResponse(IReadOnlyList<FeedbackReviewItem> Items, bool Truncated);

public sealed record FeedbackReviewApplied(string Id, int Suppressed);
