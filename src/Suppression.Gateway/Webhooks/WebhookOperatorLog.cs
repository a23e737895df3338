namespace Suppression.Gateway.Webhooks;

/// <summary>
/// What operators do to webhook endpoints (8020-8029, in the webhooks range; docs/operations.md, Log
/// events): each names the endpoint and who did it (the key's fingerprint or the console session's
/// actor), so a receiver flooded after a requeue can be traced to a person. The ids are a contract.
/// </summary>
internal static partial class WebhookOperatorLog
{
    [LoggerMessage(EventId = 8020, Level = LogLevel.Warning, Message = "Webhook endpoint {Endpoint} enabled by {Actor} (was disabled: {WasDisabled}); its queued events flow again")]
    public static partial void WebhookEndpointEnabled(this ILogger logger, string endpoint, string actor, bool wasDisabled);

    [LoggerMessage(EventId = 8021, Level = LogLevel.Warning, Message = "Webhook endpoint {Endpoint}: {Count} dead letter(s) requeued by {Actor}")]
    public static partial void WebhookDeadLettersRequeued(this ILogger logger, string endpoint, long count, string actor);
}
