using System.Net;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Logins;

/// <summary>
/// Wrong passwords counted per client network and user name, and per client network over every
/// name (so guessing many names from one address is limited too). Reaching a limit locks AUTH out
/// for a short time that doubles with each further failure, up to a ceiling; a right password clears
/// its name's failures (not the network's: a login to one account must not buy guesses at others).
/// Only failures count, never logins still being checked: 20 parallel right logins all get in.
/// Kept in this process's memory: several instances each count their own.
/// </summary>
public sealed class LoginFailures(LoginLimits limits, TimeProvider time, int capacity = LoginFailures.DefaultCapacity)
{
    /// <summary>Records kept at most (about 100 bytes each); strangers can invent addresses and names.</summary>
    public const int DefaultCapacity = 100_000;

    // Longer names are no one's (they are counted as their first 256 characters, which only merges strangers' guesses).
    private const int NameLength = 256;

    private readonly Dictionary<Key, Failures> _records = [];

    /// <summary>Until when AUTH from the client is refused, for this name or (null) for any; null when it is not.</summary>
    public DateTimeOffset? LockedUntil(IPAddress client, string? username)
    {
        var network = ClientNetwork.Of(client);
        var now = time.GetUtcNow();
        lock (_records)
        {
            var wholeClient = Locked(new Key(network, null), now);
            return username is null ? wholeClient : Later(wholeClient, Locked(new Key(network, Name(username)), now));
        }
    }

    /// <summary>Counts a wrong password (or unknown name); returns until when AUTH is now refused, or null.</summary>
    public DateTimeOffset? RecordFailure(IPAddress client, string username)
    {
        var network = ClientNetwork.Of(client);
        var now = time.GetUtcNow();
        lock (_records)
        {
            var byClient = Fail(new Key(network, null), limits.FailuresPerClient, now);
            var byName = Fail(new Key(network, Name(username)), limits.FailuresPerUser, now);
            MakeRoom(now);
            return Later(byClient, byName);
        }
    }

    public void RecordSuccess(IPAddress client, string username)
    {
        lock (_records)
        {
            _records.Remove(new Key(ClientNetwork.Of(client), Name(username)));
        }
    }

    /// <summary>The failures remembered, for one client or all, locked-out ones first, then the latest.</summary>
    public IReadOnlyList<LoginLockout> List(IPAddress? client, int max)
    {
        var network = client is null ? null : ClientNetwork.Of(client);
        var now = time.GetUtcNow();
        lock (_records)
        {
            return _records
                .Where(record => IsRemembered(record.Value, now) && (network is null || record.Key.Network.Equals(network)))
                .OrderByDescending(record => record.Value.LockedUntil > now)
                .ThenByDescending(record => record.Value.LastFailure)
                .Take(max)
                .Select(record => new LoginLockout(
                    ClientNetwork.Format(record.Key.Network),
                    record.Key.Username,
                    record.Value.Count,
                    record.Value.LastFailure,
                    record.Value.LockedUntil > now ? record.Value.LockedUntil : null))
                .ToList();
        }
    }

    /// <summary>
    /// Forgets a client's failures: with a name, that name's only (the client's count over every
    /// name stays); without, all of them. Returns how many records were remembered.
    /// </summary>
    public int Clear(IPAddress client, string? username)
    {
        var network = ClientNetwork.Of(client);
        var now = time.GetUtcNow();
        lock (_records)
        {
            var cleared = _records
                .Where(record => record.Key.Network.Equals(network) && (username is null || record.Key.Username == Name(username)))
                .Select(record => (record.Key, Remembered: IsRemembered(record.Value, now)))
                .ToList();
            foreach (var (key, _) in cleared)
            {
                _records.Remove(key);
            }

            return cleared.Count(record => record.Remembered);
        }
    }

    private DateTimeOffset? Fail(Key key, int limit, DateTimeOffset now)
    {
        var count = (_records.TryGetValue(key, out var known) && IsRemembered(known, now) ? known.Count : 0) + 1;
        var lockedUntil = count >= limit ? now + limits.LockoutAfter(count, limit) : DateTimeOffset.MinValue;
        _records[key] = new Failures(count, now, lockedUntil);
        return lockedUntil > now ? lockedUntil : null;
    }

    private DateTimeOffset? Locked(Key key, DateTimeOffset now) =>
        _records.TryGetValue(key, out var failures) && failures.LockedUntil > now ? failures.LockedUntil : null;

    private bool IsRemembered(Failures failures, DateTimeOffset now) =>
        now < (failures.LockedUntil > failures.LastFailure ? failures.LockedUntil : failures.LastFailure) + limits.Memory;

    // Forgotten records go first; if strangers still fill the table, the unlocked and then the oldest
    // go, down to nine tenths, so that this sort runs once per tenth of the capacity at most.
    private void MakeRoom(DateTimeOffset now)
    {
        if (_records.Count <= capacity)
        {
            return;
        }

        foreach (var key in _records.Where(record => !IsRemembered(record.Value, now)).Select(record => record.Key).ToList())
        {
            _records.Remove(key);
        }

        var excess = _records.Count - capacity * 9 / 10;
        if (excess <= 0)
        {
            return;
        }

        foreach (var key in _records
            .OrderBy(record => record.Value.LockedUntil > now)
            .ThenBy(record => record.Value.LastFailure)
            .Take(excess)
            .Select(record => record.Key)
            .ToList())
        {
            _records.Remove(key);
        }
    }

    private static string Name(string username) => username.Length > NameLength ? username[..NameLength] : username;

    private static DateTimeOffset? Later(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first > second ? first : second;

    // Username null: the client's count over every name.
    private readonly record struct Key(IPAddress Network, string? Username);

    private readonly record struct Failures(int Count, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
}
