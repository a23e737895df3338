using StackExchange.Redis;

namespace Suppression.Redis.Suppressions;

/// <summary>
/// A mailbox's stored value holds an entry this version cannot read: a later version's, or a
/// damaged value. The entries it could read are not the whole story, so nothing is decided on
/// them: a RedisException, so a recipient check defers (451) and an API call answers 503, as when
/// the list cannot be reached. Not a connection failure: it neither trips the circuit breaker nor
/// is retried.
/// </summary>
public sealed class UnreadableEntryException()
    : RedisException("A stored suppression entry could not be read (written by a later gateway version, or damaged): the mailbox is treated as unavailable, not decided on the entries that could be read.");
