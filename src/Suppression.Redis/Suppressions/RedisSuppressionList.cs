using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

/// <summary>
/// Export walks every bucket, a window of buckets per round trip; import sends one import.lua per
/// row, pipelined a chunk at a time. Each row is its own script (its own bucket, its own cluster
/// slot), so the same code runs against a cluster.
/// </summary>
public sealed class RedisSuppressionList : ISuppressionList
{
    private const int BucketWindow = 512;

    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;
    private readonly AuditKey key;

    public RedisSuppressionList(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(key);
        database = connection.GetDatabase();
        this.layout = layout;
        this.key = key;
    }

    public async IAsyncEnumerable<ListedSuppression> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var window = 0; window < RedisKeyLayout.BucketCount; window += BucketWindow)
        {
            var batch = database.CreateBatch();
            var reads = new List<Task<HashEntry[]>>(BucketWindow);
            for (var bucket = window; bucket < Math.Min(window + BucketWindow, RedisKeyLayout.BucketCount); bucket++)
            {
                reads.Add(batch.HashGetAllAsync(layout.BucketKey(RedisKeyLayout.BucketTag(bucket))));
            }

            batch.Execute();
            foreach (var read in reads)
            {
                foreach (var field in await read.WaitAsync(cancellationToken))
                {
                    var value = BucketValue.Parse(field.Value);
                    var addressHash = value.ErasedHash
                        ?? (value.Address is { } address && AddressNormalizer.TryNormalize(address, out var normalized, out _) ? key.AddressHash(normalized) : null);
                    foreach (var line in value.EntryLines)
                    {
                        if (SuppressionEntryCodec.TryDecodeLine(line, out var entry, out var entryBatch))
                        {
                            yield return new ListedSuppression(value.Address, addressHash, entry, entryBatch);
                        }
                    }
                }
            }
        }
    }

    public async Task<ImportCounts> ImportAsync(IReadOnlyList<(NormalizedAddress Address, SuppressionEntry Entry)> rows, string batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(batch);

        // Not awaited one by one: the multiplexer pipelines the whole chunk on one connection.
        var writes = new Task<RedisResult>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (address, entry) = rows[i];
            var slot = layout.Locate(address);
            writes[i] = database.ScriptEvaluateAsync(
                RedisScripts.Import,
                [slot.BucketKey],
                [slot.Field, SuppressionEntryCodec.ScopePrefix(entry.Scope), SuppressionEntryCodec.Encode(entry, batch), "@" + address.Value]);
        }

        await Task.WhenAll(writes).WaitAsync(cancellationToken);
        long imported = 0;
        foreach (var write in writes)
        {
            imported += (long)await write;
        }

        return new ImportCounts(imported, rows.Count - imported);
    }
}
