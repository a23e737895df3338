using System.Collections.Concurrent;
using System.Net;

namespace Suppression.Smtp.Server;

/// <summary>
/// Counts failed AUTH attempts per client address in a fixed window, so password guessing from one
/// address stops after a few tries whatever number of connections it opens.
/// </summary>
public sealed class AuthFailureLimiter(int maxFailures, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, (int Failures, DateTimeOffset WindowStart)> _failures = new();

    public bool IsBlocked(IPAddress client) =>
        _failures.TryGetValue(client, out var state) && state.Failures >= maxFailures && time.GetUtcNow() - state.WindowStart < window;

    public void RecordFailure(IPAddress client)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(
            client,
            (1, now),
            (_, state) => now - state.WindowStart >= window ? (1, now) : (state.Failures + 1, state.WindowStart));

        // Old windows are dropped now and then, so a scan from many addresses cannot grow the table for ever.
        if (_failures.Count > 10_000)
        {
            foreach (var (address, state) in _failures)
            {
                if (now - state.WindowStart >= window)
                {
                    _failures.TryRemove(address, out _);
                }
            }
        }
    }
}
