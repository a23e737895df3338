namespace Suppression.Redis.Resilience;

/// <summary>
/// The <c>Suppression:RedisResilience</c> section: how long the gateway waits on Redis before it
/// answers "try again later", and when it stops asking for a while.
/// </summary>
public sealed record RedisResilienceOptions
{
    /// <summary>
    /// All attempts of one recipient lookup; then the recipient is deferred (451). Well inside an
    /// SMTP client's RCPT timeout (RFC 5321 4.5.3.2.3: 5 minutes), short enough not to hold sessions.
    /// </summary>
    public TimeSpan LookupTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>One attempt of a lookup: a Redis that answers in milliseconds and has not after this is not answering.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMilliseconds(750);

    /// <summary>Retries of a failed lookup (reads are idempotent), jittered exponential backoff from 50 ms.</summary>
    public int LookupRetries { get; set; } = 2;

    /// <summary>All attempts of one audited write (the change and its audit record).</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an open circuit answers at once without asking Redis, after at least half of 20 or
    /// more calls within 10 seconds failed; then one trial call decides.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
