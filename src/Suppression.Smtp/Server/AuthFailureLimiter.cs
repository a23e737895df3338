using System.Net;

namespace Suppression.Smtp.Server;

/// <summary>
/// Counts failed AUTH attempts per client address in a fixed window, so password guessing from one
/// address stops after a few tries whatever number of connections it opens. An attempt holds its
/// place from before the password is checked until the answer is known: otherwise many attempts
/// sent at once on parallel connections would all pass the check before the first failure counted.
/// </summary>
public sealed class AuthFailureLimiter(int maxFailures, TimeSpan window, TimeProvider time)
{
    private readonly Dictionary<IPAddress, Attempts> _attempts = [];

    public bool IsBlocked(IPAddress client)
    {
        lock (_attempts)
        {
            return Current(client, time.GetUtcNow()).Taken >= maxFailures;
        }
    }

    /// <summary>Reserves an attempt; false when failures and attempts in progress already reach the limit.</summary>
    public bool TryBeginAttempt(IPAddress client)
    {
        lock (_attempts)
        {
            var attempts = Current(client, time.GetUtcNow());
            if (attempts.Taken >= maxFailures)
            {
                return false;
            }

            _attempts[client] = attempts with { InProgress = attempts.InProgress + 1 };
            return true;
        }
    }

    /// <summary>Ends an attempt reserved by <see cref="TryBeginAttempt"/>, counting it when it failed.</summary>
    public void EndAttempt(IPAddress client, bool failed)
    {
        lock (_attempts)
        {
            var attempts = Current(client, time.GetUtcNow());
            _attempts[client] = attempts with
            {
                InProgress = Math.Max(0, attempts.InProgress - 1),
                Failures = attempts.Failures + (failed ? 1 : 0),
            };
        }
    }

    // The client's attempts in the current window, a new window once the old one has passed; old
    // windows are dropped now and then, so a scan from many addresses cannot grow the table for ever.
    private Attempts Current(IPAddress client, DateTimeOffset now)
    {
        if (_attempts.Count > 10_000)
        {
            var expired = _attempts.Where(entry => now - entry.Value.WindowStart >= window && entry.Value.InProgress == 0).Select(entry => entry.Key).ToList();
            foreach (var address in expired)
            {
                _attempts.Remove(address);
            }
        }

        return _attempts.TryGetValue(client, out var attempts)
            ? now - attempts.WindowStart >= window ? new Attempts(0, attempts.InProgress, now) : attempts
            : new Attempts(0, 0, now);
    }

    private readonly record struct Attempts(int Failures, int InProgress, DateTimeOffset WindowStart)
    {
        public int Taken => Failures + InProgress;
    }
}
