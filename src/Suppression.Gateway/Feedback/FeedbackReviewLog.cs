namespace Suppression.Gateway.Feedback;

/// <summary>
/// Decisions on the feedback review queue (4300-4399, in the feedback range 4000-4999). The ids are
/// a contract (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class FeedbackReviewLog
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Feedback review item {ReviewId} applied by {Actor}: {SuppressedCount} suppression(s) written")]
    public static partial void ReviewItemApplied(this ILogger logger, string reviewId, string actor, int suppressedCount);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Feedback review item {ReviewId} dismissed by {Actor}: {RecordCount} record(s) written, nobody suppressed")]
    public static partial void ReviewItemDismissed(this ILogger logger, string reviewId, string actor, int recordCount);
}
