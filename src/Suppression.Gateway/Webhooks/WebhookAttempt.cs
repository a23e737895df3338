namespace Suppression.Gateway.Webhooks;

/// <summary>What a receiver's answer means for the event (README, Webhooks).</summary>
public enum WebhookAttemptResult
{
    /// <summary>2xx: taken.</summary>
    Delivered,

    /// <summary>410 Gone: the receiver asks for nothing more; the endpoint is disabled.</summary>
    Gone,

    /// <summary>Anything else, a timeout or a refused connection: tried again on the schedule, or when Retry-After says.</summary>
    Failed,
}

/// <param name="RetryAfter">A 429 or 503's Retry-After, capped; null when the schedule decides.</param>
/// <param name="Failure">One line for the endpoint's state: the status or the error, never the receiver's body.</param>
public sealed record WebhookAttempt(WebhookAttemptResult Result, TimeSpan? RetryAfter = null, string? Failure = null)
{
    public static readonly WebhookAttempt Delivered = new(WebhookAttemptResult.Delivered);
}
