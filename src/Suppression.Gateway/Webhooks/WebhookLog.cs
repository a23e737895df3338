namespace Suppression.Gateway.Webhooks;

/// <summary>
/// The webhook deliveries' log events (8000-8099, the webhooks range). The ids are a contract
/// (docs/operations.md, Log events): never reused, never renumbered. Lines name the endpoint and
/// the event id, never an address or a payload.
/// </summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Webhooks: delivering to {Count} endpoint(s) as instance {Instance}")]
    public static partial void WebhookDeliveryStarted(this ILogger logger, int count, string instance);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Debug, Message = "Webhook {EventId} delivered to endpoint {Endpoint}")]
    public static partial void WebhookDelivered(this ILogger logger, string eventId, string endpoint);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Information, Message = "Webhook {EventId} to endpoint {Endpoint} failed ({Failure}), attempt {Attempt}; next at {Due:O}")]
    public static partial void WebhookRetryScheduled(this ILogger logger, string eventId, string endpoint, string failure, int attempt, DateTimeOffset due);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Webhook {EventId} to endpoint {Endpoint} failed its last attempt ({Failure}): moved to the dead-letter list")]
    public static partial void WebhookDeadLettered(this ILogger logger, string eventId, string endpoint, string failure);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Webhook endpoint {Endpoint} answered 410 Gone: disabled until an operator enables it again")]
    public static partial void WebhookEndpointGone(this ILogger logger, string endpoint);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Warning, Message = "Webhook delivery to endpoint {Endpoint} failed (the store unavailable?); the next pass tries again")]
    public static partial void WebhookStoreUnavailable(this ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 8010, Level = LogLevel.Information, Message = "Webhook endpoint {Endpoint} answered again after {Failures} failed attempts; {Resumed} deferred events are due again")]
    public static partial void WebhookEndpointResumed(this ILogger logger, string endpoint, int failures, long resumed);
}
