using Microsoft.Extensions.Logging;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// Feedback's log events (4000-4999): bounces and complaints mailed to the gateway, reports
/// forwarded to tenants, bounces the upstream reported first-hand. The ids are a contract
/// (docs/operations.md, Log events): never reused, never renumbered. A report's text may quote a
/// recipient, so it comes redacted.
/// </summary>
internal static partial class FeedbackLog
{
    // 4000-4099: feedback mail.
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Feedback mail {TransactionId}: {Kind} about {RecipientCount} recipient(s), {IgnoredCount} ignored as not covered by the address it came to, {SuppressedCount} suppression(s) written")]
    public static partial void FeedbackProcessed(this ILogger logger, string transactionId, FeedbackKind kind, int recipientCount, int ignoredCount, int suppressedCount);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Feedback mail {TransactionId} on a return path: {Kind} naming none of its recipients, who is named by the gateway's link in the returned message; counted as {Outcome}")]
    public static partial void FeedbackRecipientFoundByLink(this ILogger logger, string transactionId, FeedbackKind kind, FeedbackOutcome outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Feedback mail {TransactionId} not understood ({Kind}: {Reason}); kept for inspection")]
    public static partial void FeedbackNotUnderstood(this ILogger logger, string transactionId, FeedbackKind kind, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Could not record feedback mail {TransactionId}, deferring")]
    public static partial void FeedbackNotRecorded(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information,
        Message = "Unauthenticated feedback mail {TransactionId}: {Kind} about {RecipientCount} recipient(s) held for review as {ReviewId}; nobody suppressed")]
    public static partial void UnauthenticatedFeedbackHeld(this ILogger logger, string transactionId, FeedbackKind kind, int recipientCount, string reviewId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Unauthenticated feedback mail {TransactionId} ({Kind} about {RecipientCount} recipient(s)) suppressed nobody and was not held for review: {Why}")]
    public static partial void UnauthenticatedFeedbackNotHeld(this ILogger logger, string transactionId, FeedbackKind kind, int recipientCount, string why);

    // 4100-4199: reports forwarded to a tenant's bounce address.
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Report {TransactionId} was not forwarded to the tenant's bounce address: {Outcome} {Reply}")]
    public static partial void ReportNotForwarded(this ILogger logger, string transactionId, RelayOutcome outcome, string reply);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Report {TransactionId} was not forwarded to the tenant's bounce address")]
    public static partial void ReportForwardFailed(this ILogger logger, string transactionId, Exception exception);

    // 4200-4299: bounces the upstream reported first-hand.
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Could not record a hard bounce the upstream reported")]
    public static partial void HardBounceNotRecorded(this ILogger logger, Exception exception);
}
