using System.Net;
using Suppression.Gateway.Unsubscribe;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// Strangers at <c>POST /api/v1/feedback/{provider}</c>: requests that fail authentication (an unknown
/// provider, an oversized body, a bad signature or password) count against the client's network (an
/// IPv4 address, an IPv6 /64) in one-minute windows. Once a network has had its share, every request
/// from it is refused until the minute ends, a rightly signed one too: otherwise guessing Postmark's
/// password, or making the gateway fetch SNS certificates, would simply go on. A request that
/// authenticates is never counted, so an ESP's bursts are not limited here at all. At most
/// <see cref="Capacity"/> networks are tracked a window; past that, untracked networks share one
/// budget (a flood from more networks than that may make an ESP wait a minute, and ESPs retry).
/// </summary>
public sealed class ProviderRequestLimits
{
    public const int Capacity = 100_000;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly FixedWindowCounters _failures;
    private readonly FixedWindowCounters _overflow;
    private readonly int _failuresPerClient;

    public ProviderRequestLimits(int failuresPerClient, TimeProvider time, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failuresPerClient, 1);
        _failuresPerClient = failuresPerClient;
        _failures = new FixedWindowCounters(capacity, Window, time);
        _overflow = new FixedWindowCounters(1, Window, time);
    }

    /// <summary>Whether the client's network may be heard now; when not, how long until the window ends.</summary>
    public bool TryAdmit(IPAddress? client, out TimeSpan retryAfter)
    {
        var seen = _failures.Peek(ClientNetworkKey.Of(client), _failuresPerClient, out retryAfter);
        if (seen == WindowCount.Untracked)
        {
            seen = _overflow.Peek(UInt128.Zero, _failuresPerClient, out retryAfter);
        }

        return seen != WindowCount.Refused;
    }

    /// <summary>Counts a request from the client that did not authenticate.</summary>
    public void RecordFailure(IPAddress? client)
    {
        if (_failures.TryCount(ClientNetworkKey.Of(client), _failuresPerClient, out _) == WindowCount.Untracked)
        {
            _overflow.TryCount(UInt128.Zero, _failuresPerClient, out _);
        }
    }
}
