using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
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
    private readonly AuditChainWriter audit;

    public RedisSuppressionList(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditChainWriter audit)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        database = connection.GetDatabase();
        this.layout = layout;
        this.audit = audit;
    }

    public Task RecordBatchAsync(AuditRecord batch, CancellationToken cancellationToken) => audit.AppendAsync(AuditChain.Imports, batch, cancellationToken);

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
                        ?? (value.Address is { } address && AddressNormalizer.TryNormalize(address, out var normalized, out _) ? audit.Key.AddressHash(normalized) : null);
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

        // Most rows of an import are either new mailboxes or, on a second import, entries already
        // there, so the chunk is read first (one pipelined HGET each): a row whose scope is present
        // writes nothing, a new mailbox is one HSETNX (atomic: if someone else created the field
        // meanwhile it does nothing, and the row goes the slow way), and only a mailbox that has
        // other entries runs import.lua. Plain commands, because a Lua call costs far more than a
        // hash command on the embedded server (and a cluster still sees one key per command).
        var slots = new AddressSlot[rows.Count];
        var reads = new Task<RedisValue>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            slots[i] = layout.Locate(rows[i].Address);
            reads[i] = database.HashGetAsync(slots[i].BucketKey, slots[i].Field);
        }

        await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var writes = new List<(int Row, Task<bool> Created)>(rows.Count);
        var present = 0L;
        for (var i = 0; i < rows.Count; i++)
        {
            var current = await reads[i];
            if (current.IsNull)
            {
                writes.Add((i, database.HashSetAsync(slots[i].BucketKey, slots[i].Field, NewField(rows[i], batch), When.NotExists)));
            }
            else if (BucketValue.Parse(current).HasScope(rows[i].Entry.Scope))
            {
                present++;
            }
            else
            {
                writes.Add((i, AddByScriptAsync(slots[i], rows[i], batch)));
            }
        }

        await Task.WhenAll(writes.Select(write => write.Created)).WaitAsync(cancellationToken);
        long imported = 0;
        var lostRaces = new List<Task<bool>>();
        foreach (var (row, created) in writes)
        {
            if (await created)
            {
                imported++;
            }
            else
            {
                // Created by someone else between the read and the HSETNX (or, for the script, the
                // scope was there after all); the script decides, atomically.
                lostRaces.Add(AddByScriptAsync(slots[row], rows[row], batch));
            }
        }

        foreach (var race in lostRaces)
        {
            imported += await race.WaitAsync(cancellationToken) ? 1 : 0;
        }

        return new ImportCounts(imported, rows.Count - imported);
    }

    private async Task<bool> AddByScriptAsync(AddressSlot slot, (NormalizedAddress Address, SuppressionEntry Entry) row, string batch) =>
        (long)await database.ScriptEvaluateAsync(
            RedisScripts.Import,
            [slot.BucketKey],
            [slot.Field, SuppressionEntryCodec.ScopePrefix(row.Entry.Scope), SuppressionEntryCodec.Encode(row.Entry, batch), "@" + row.Address.Value]) == 1;

    private static string NewField((NormalizedAddress Address, SuppressionEntry Entry) row, string batch) =>
        "@" + row.Address.Value + SuppressionEntryCodec.EntrySeparator + SuppressionEntryCodec.Encode(row.Entry, batch);
}
