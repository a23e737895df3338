using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Audit;

/// <summary>
/// Cuts blocked-delivery records older than the retention period from the front of their chains
/// (suppression changes are kept until erased). Each cut leaves a sealed anchor, so verification
/// still starts from a known point and a cut made by hand shows as a break.
/// </summary>
public sealed class RedisAuditRetention
{
    private const int BucketWindow = 1024;
    private const int PageSize = 1000;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditKey _key;

    public RedisAuditRetention(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(key);
        _database = connection.GetDatabase();
        _layout = layout;
        _key = key;
    }

    /// <returns>The number of records removed.</returns>
    public Task<long> CutAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => RedisResilience.TranslateFailuresAsync(CutUntranslatedAsync(olderThan, cancellationToken));

    private async Task<long> CutUntranslatedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var cut = olderThan.ToUnixTimeMilliseconds();
        long removed = 0;
        for (var window = 0; window < RedisKeyLayout.BucketCount; window += BucketWindow)
        {
            var batch = _database.CreateBatch();
            var firsts = new List<(string Tag, Task<RedisValue> First)>(BucketWindow);
            for (var bucket = window; bucket < Math.Min(window + BucketWindow, RedisKeyLayout.BucketCount); bucket++)
            {
                var tag = RedisKeyLayout.BucketTag(bucket);
                firsts.Add((tag, batch.ListGetByIndexAsync(_layout.ChainKeys(tag).Blocked, 0)));
            }

            batch.Execute();
            foreach (var (tag, first) in firsts)
            {
                var oldest = await first.WaitAsync(cancellationToken);
                if (!oldest.IsNull && AuditElement.TrySplit(oldest!, out var parts) && parts.UnixMilliseconds < cut)
                {
                    removed += await CutChainAsync(AuditChain.Blocked(tag), cut, cancellationToken);
                }
            }
        }

        return removed;
    }

    private async Task<long> CutChainAsync(AuditChain chain, long cut, CancellationToken cancellationToken)
    {
        var keys = _layout.ChainKeys(chain.Tag);
        long removed = 0;
        while (true)
        {
            var page = await _database.ListRangeAsync(keys.Blocked, 0, PageSize - 1).WaitAsync(cancellationToken);
            var count = 0;
            StoredParts last = default;
            foreach (var element in page)
            {
                if (!AuditElement.TrySplit(element!, out var parts) || parts.UnixMilliseconds >= cut)
                {
                    break;
                }

                last = parts;
                count++;
            }

            if (count == 0)
            {
                return removed;
            }

            var anchor = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{last.Sequence}\t{last.Hash}\t{cut}\t{_key.AnchorSeal(chain.Name, last.Sequence, last.Hash, cut)}");
            var outcome = await _database.ScriptEvaluateAsync(
                RedisScripts.CutBlockedChain, [keys.Blocked, keys.Heads], [count, AuditElement.Head(last.Sequence, last.Hash) + "\t", anchor]).WaitAsync(cancellationToken);
            if ((long)outcome != 1)
            {
                return removed;
            }

            removed += count;
            if (count < PageSize)
            {
                return removed;
            }
        }
    }
}
