namespace Suppression.Gateway.Webhooks;

/// <summary>
/// When a failed delivery is tried again: the schedule the Standard Webhooks specification suggests
/// (Delivery behaviour, retry schedule), each delay counted from the attempt before it: immediately,
/// 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours, 10 hours; then every 10 hours to
/// the third day, because an opt-out must outlive a receiver down over a weekend, where the
/// specification's 27 hours would not. Twelve attempts over about 2.8 days; a failure of the last
/// one sends the event to the dead-letter list. An endpoint that answers again after an outage gets
/// its deferred events at once (WebhookEndpointDelivery), not at their next slot.
/// </summary>
public static class WebhookRetrySchedule
{
    private static readonly TimeSpan[] DelaysAfterAttempt =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>A 429 or 503's Retry-After is believed up to this long; a longer one is likely a mistake and would stall the endpoint.</summary>
    public static readonly TimeSpan MaximumRetryAfter = TimeSpan.FromHours(1);

    public static int Attempts => DelaysAfterAttempt.Length + 1;

    /// <summary>The delay before the next attempt after <paramref name="attemptsMade"/> failed ones; null when that was the last.</summary>
    public static TimeSpan? DelayAfter(int attemptsMade) =>
        attemptsMade >= 1 && attemptsMade <= DelaysAfterAttempt.Length ? DelaysAfterAttempt[attemptsMade - 1] : null;
}
