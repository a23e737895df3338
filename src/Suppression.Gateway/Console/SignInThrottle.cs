using System.Threading.RateLimiting;

namespace Suppression.Gateway.Console;

/// <summary>
/// Failed console sign-ins per client IP address in a fixed one-minute window. Only failures count;
/// once an address has used them up, every sign-in from it is refused until the window ends, so
/// guessing keys is slow while a person who typed the key wrong once is not held up.
/// </summary>
public sealed class SignInThrottle(int failuresPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = failuresPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>Whether <paramref name="client"/> has no failures left, and when it may try again.</summary>
    public bool IsLockedOut(string client, out TimeSpan retryAfter)
    {
        // Asking for no permits only reports whether any are left (System.Threading.RateLimiting).
        using var probe = _failures.AttemptAcquire(client, permitCount: 0);
        retryAfter = probe.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return !probe.IsAcquired;
    }

    public void RecordFailure(string client)
    {
        using var _ = _failures.AttemptAcquire(client);
    }

    public void Dispose() => _failures.Dispose();
}
