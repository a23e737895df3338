using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Suppressions;

/// <summary>
/// Every suppression bucket's fields, in bucket order, reading a window of buckets per round trip
/// (one batch of HGETALL; in a cluster the batch fans out to the nodes). For the passes over the
/// whole list: export and the storage upgrade.
/// </summary>
internal static class BucketWalk
{
    public static async IAsyncEnumerable<(RedisKey Key, string Tag, HashEntry[] Fields)> AllAsync(
        IDatabase database, RedisKeyLayout layout, int window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var first = 0; first < RedisKeyLayout.BucketCount; first += window)
        {
            var batch = database.CreateBatch();
            var reads = new List<(RedisKey Key, string Tag, Task<HashEntry[]> Fields)>(window);
            for (var bucket = first; bucket < Math.Min(first + window, RedisKeyLayout.BucketCount); bucket++)
            {
                var tag = RedisKeyLayout.BucketTag(bucket);
                var key = layout.BucketKey(tag);
                reads.Add((key, tag, batch.HashGetAllAsync(key)));
            }

            batch.Execute();
            foreach (var (key, tag, fields) in reads)
            {
                yield return (key, tag, await fields.WaitAsync(cancellationToken));
            }
        }
    }
}
