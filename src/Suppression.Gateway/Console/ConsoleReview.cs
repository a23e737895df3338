using System.Globalization;
using System.Security.Claims;
using Suppression.Feedback;
using Suppression.Gateway.Access;
using Suppression.Gateway.Feedback;

namespace Suppression.Gateway.Console;

/// <summary>
/// /console/review: the held reports, one report's page, and the admin's apply and dismiss, which
/// make the same decisions as the API (<see cref="FeedbackReviewDecisions"/>), audited with the
/// session's actor. Each decision answers 303 to the queue, so a reload does not post it again.
/// </summary>
public static class ConsoleReview
{
    public static async Task<ConsolePage> ListAsync(
        HttpContext http, IFeedbackReview review, string? applied, string? suppressed, string? dismissed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(review);
        var items = await review.ListAsync(ReviewQueuePage.PageSize + 1, cancellationToken);
        return ReviewQueuePage.Render(
            ConsoleView.For(http), [.. items.Take(ReviewQueuePage.PageSize)], items.Count > ReviewQueuePage.PageSize, Notice(applied, suppressed, dismissed));
    }

    public static async Task<ConsolePage> ItemAsync(HttpContext http, string id, IFeedbackReview review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(review);
        return await review.GetAsync(id, cancellationToken) is { } item
            ? ReviewItemPage.Render(ConsoleView.For(http), item)
            : MessagePage.NotQueued(ConsoleView.For(http));
    }

    public static async Task<IResult> ApplyAsync(HttpContext http, string id, FeedbackReviewDecisions decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(decisions);
        if (ReviewerOf(http) is not { } reviewer)
        {
            return MessagePage.AdminOnly(ConsoleView.For(http));
        }

        return await decisions.ApplyAsync(id, reviewer, cancellationToken) is { } written
            ? new SeeOther(string.Create(CultureInfo.InvariantCulture, $"{ConsolePaths.Review}?applied={Uri.EscapeDataString(id)}&suppressed={written}"))
            : MessagePage.NotQueued(ConsoleView.For(http));
    }

    public static async Task<IResult> DismissAsync(HttpContext http, string id, FeedbackReviewDecisions decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(decisions);
        if (ReviewerOf(http) is not { } reviewer)
        {
            return MessagePage.AdminOnly(ConsoleView.For(http));
        }

        return await decisions.DismissAsync(id, reviewer, cancellationToken)
            ? new SeeOther($"{ConsolePaths.Review}?dismissed={Uri.EscapeDataString(id)}")
            : MessagePage.NotQueued(ConsoleView.For(http));
    }

    // The API lets only admin keys write; a console session of a compliance key may read the queue, not decide.
    private static Reviewer? ReviewerOf(HttpContext http) =>
        http.User.FindFirstValue(ConsoleAuthentication.RoleClaim) == ApiKeys.AdminRole && http.User.FindFirstValue(ConsoleAuthentication.ActorClaim) is { } actor
            ? Reviewer.Of(http, actor)
            : null;

    // The query only says which notice to show; anyone can type it, so it is held to an id's and a count's shape.
    private static string? Notice(string? applied, string? suppressed, string? dismissed)
    {
        if (IsId(applied) && int.TryParse(suppressed, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Report {applied} applied: {count} {(count == 1 ? "suppression" : "suppressions")} written.");
        }

        return IsId(dismissed) ? $"Report {dismissed} dismissed: nobody was suppressed." : null;
    }

    private static bool IsId(string? value) => value is { Length: > 0 and <= 64 } && value.All(char.IsAsciiLetterOrDigit);
}
