using Microsoft.Extensions.Logging;

namespace Suppression.Smtp.Feedback.Providers;

/// <summary>
/// Upstream ESPs' event webhooks (4500-4599; docs/operations.md, Log events): 4501-4509 what an event
/// did, 4510-4519 requests refused (written by the gateway's endpoint). The ids are a contract.
/// </summary>
public static partial class ProviderFeedbackLog
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "{Provider} event {EventId} ({Type}): {Outcome}")]
    public static partial void ProviderEventRecorded(this ILogger logger, string provider, string eventId, string type, ProviderEventOutcome outcome);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "{Provider} event {EventId} was taken before; nothing done")]
    public static partial void ProviderEventDuplicate(this ILogger logger, string provider, string eventId);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning,
        Message = "Could not remember whom message {TransactionId} was relayed to; an ESP's events about it will wait for review")]
    public static partial void RelayedCopiesNotRemembered(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Warning,
        Message = "{Provider} event {EventId} could not be recorded nor its id forgotten; the id lapses within a minute and the provider's retry is taken then")]
    public static partial void ProviderEventNotForgotten(this ILogger logger, string provider, string eventId, Exception exception);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning,
        Message = "{Provider} request's events could not be recorded nor its one-time signature forgotten; the provider's retry may be refused as a replay until it lapses")]
    public static partial void ProviderSignatureNotForgotten(this ILogger logger, string provider, Exception exception);

    [LoggerMessage(EventId = 4510, Level = LogLevel.Warning, Message = "{Provider} webhook request refused (401): {Why}")]
    public static partial void ProviderRequestRefused(this ILogger logger, string provider, string why);

    [LoggerMessage(EventId = 4512, Level = LogLevel.Warning, Message = "{Provider} webhook request from {Client} refused (429): too many failed authentications from its network this minute")]
    public static partial void ProviderRequestLimited(this ILogger logger, string provider, string client);

    [LoggerMessage(EventId = 4511, Level = LogLevel.Warning, Message = "{Provider} webhook request not understood (400): {Why}")]
    public static partial void ProviderRequestNotUnderstood(this ILogger logger, string provider, string why);
}
