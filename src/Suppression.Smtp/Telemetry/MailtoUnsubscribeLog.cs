using Microsoft.Extensions.Logging;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// Unsubscribes by mail (6010-6019, within the unsubscribe range the HTTP side shares). The ids are a
/// contract (docs/operations.md, Log events): never reused, never renumbered. Addresses stay out.
/// </summary>
internal static partial class MailtoUnsubscribeLog
{
    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "Mail to the unsubscribe address {TransactionId} without a valid token, refused")]
    public static partial void MailtoTokenInvalid(this ILogger logger, string transactionId);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Unsubscribe by mail {TransactionId}: {Outcome}")]
    public static partial void MailtoUnsubscribed(this ILogger logger, string transactionId, string outcome);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Could not record the unsubscribe by mail {TransactionId}, deferring")]
    public static partial void MailtoNotRecorded(this ILogger logger, string transactionId, Exception exception);
}
