using StackExchange.Redis;

namespace Suppression.Redis.Scripts;

/// <summary>
/// A read, a decision and a write that lands only over the value read (a script that compares, or
/// HSETNX). When another writer changed the value first, the whole step is tried again on what is
/// there now, a bounded number of times.
/// </summary>
internal static class CompareAndSet
{
    // Races are lost only to other writers of the same field (writes from one instance to an audit
    // chain queue per chain), and a bucket holds a few hundred mailboxes in tens of millions: this
    // many lost races in a row means something is wrong, not busy.
    public const int MaxAttempts = 16;

    /// <param name="attempt">One try, given its number from 1: done with its result, or not done because another write won.</param>
    /// <param name="gaveUp">The message of the <see cref="RedisException"/> thrown when every attempt lost.</param>
    public static async Task<T> RetryAsync<T>(Func<int, Task<(bool Done, T Result)>> attempt, Func<string> gaveUp)
    {
        for (var number = 1; ; number++)
        {
            var (done, result) = await attempt(number);
            if (done)
            {
                return result;
            }

            if (number == MaxAttempts)
            {
                throw new RedisException(gaveUp());
            }
        }
    }
}
