using Microsoft.Extensions.Logging;
using Suppression.Smtp.Delivery.Dsn;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// The relay's log events (3000-3999): the upstream, messages handed on, DSNs to senders. The ids
/// are a contract (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class RelayLog
{
    // 3000-3099: the upstream. Its words may name a recipient, so they come redacted as text: the
    // exception itself, whose message holds them in clear, is not logged.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Retrying upstream delivery (attempt {Attempt}): {Reason}")]
    public static partial void UpstreamRetry(this ILogger logger, int attempt, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Upstream delivery failed: {Error}")]
    public static partial void UpstreamUnreachable(this ILogger logger, string error);

    // 3100-3199: messages and their copies.
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Message {TransactionId}: all {DroppedCount} recipient(s) suppressed, nothing relayed")]
    public static partial void AllRecipientsSuppressed(this ILogger logger, string transactionId, int droppedCount);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Message {TransactionId}: {AcceptedCount} of {CopyCount} copies accepted upstream, {RefusedCount} refused, {SkippedCount} accepted on an earlier try, {DroppedCount} suppressed; answered {ReplyCode}{Failure}")]
    public static partial void MessageRelayed(
        this ILogger logger, string transactionId, int acceptedCount, int copyCount, int refusedCount, int skippedCount, int droppedCount, int replyCode, string failure);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Could not read the accepted copies of message {TransactionId}, relaying every copy")]
    public static partial void AcceptedCopiesNotRead(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Could not remember the accepted copies of message {TransactionId}; a retry will send them again")]
    public static partial void AcceptedCopiesNotRemembered(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Relaying message {TransactionId} failed unexpectedly")]
    public static partial void RelayFailedUnexpectedly(this ILogger logger, string transactionId, Exception exception);

    // 3200-3299: DSNs to the envelope sender.
    [LoggerMessage(EventId = 3201, Level = LogLevel.Error, Message = "Sending the DSN of message {TransactionId} failed unexpectedly")]
    public static partial void DsnFailedUnexpectedly(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Message {TransactionId}: the upstream did not take the DSN for {RefusedCount} refused recipient(s) ({Handover}): {Reply}")]
    public static partial void DsnNotTaken(this ILogger logger, string transactionId, int refusedCount, DsnHandover handover, string reply);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information,
        Message = "Message {TransactionId}: DSN sent to the envelope sender for {RefusedCount} recipient(s) refused upstream (status {Statuses})")]
    public static partial void DsnSent(this ILogger logger, string transactionId, int refusedCount, string statuses);
}
