namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Requests per key in one fixed window shared by every key: at the start of each window the whole
/// table is emptied, so it never holds more than <c>capacity</c> keys, however many addresses or
/// links strangers invent. A key that does not fit is reported as <see cref="WindowCount.Untracked"/>
/// and the caller decides what that means.
/// </summary>
public sealed class FixedWindowCounters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<UInt128, int> _counts = [];
    private readonly int _capacity;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private DateTimeOffset _windowEnd;

    public FixedWindowCounters(int capacity, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _capacity = capacity;
        _window = window;
        _time = time;
    }

    /// <summary>Counts one request of <paramref name="key"/> unless it has had <paramref name="limit"/> in this window already.</summary>
    /// <param name="retryAfter">When refused: how long until the window ends.</param>
    public WindowCount TryCount(UInt128 key, int limit, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now >= _windowEnd)
            {
                // Clear keeps the buckets: memory stays at what the capacity needs, no more.
                _counts.Clear();
                _windowEnd = now + _window;
            }

            retryAfter = _windowEnd - now;
            if (_counts.TryGetValue(key, out var count))
            {
                if (count >= limit)
                {
                    return WindowCount.Refused;
                }

                _counts[key] = count + 1;
                return WindowCount.Counted;
            }

            if (_counts.Count >= _capacity)
            {
                return WindowCount.Untracked;
            }

            if (limit < 1)
            {
                return WindowCount.Refused;
            }

            _counts[key] = 1;
            return WindowCount.Counted;
        }
    }

    /// <summary>What <see cref="TryCount"/> would answer for <paramref name="key"/> now, without counting it.</summary>
    public WindowCount Peek(UInt128 key, int limit, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now >= _windowEnd)
            {
                retryAfter = TimeSpan.Zero;
                return limit < 1 ? WindowCount.Refused : WindowCount.Counted;
            }

            retryAfter = _windowEnd - now;
            return _counts.TryGetValue(key, out var count) ? (count >= limit ? WindowCount.Refused : WindowCount.Counted)
                : _counts.Count >= _capacity ? WindowCount.Untracked
                : limit < 1 ? WindowCount.Refused
                : WindowCount.Counted;
        }
    }

    /// <summary>How many keys the current window holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _counts.Count;
            }
        }
    }
}
