using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

/// <summary>
/// Export walks every bucket, a window of buckets per round trip; import reads a chunk of rows
/// pipelined and writes each row on its own (its own bucket, its own cluster slot), so the same
/// code runs against a cluster.
/// </summary>
public sealed class RedisSuppressionList : ISuppressionList
{
    private const int BucketWindow = 512;

    private const string NextBatchField = "next-batch";

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditedChangeWriter _audit;

    public RedisSuppressionList(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditedChangeWriter audit)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        _database = connection.GetDatabase();
        _layout = layout;
        _audit = audit;
    }

    public Task RecordBatchAsync(AuditRecord batch, CancellationToken cancellationToken) => _audit.AppendAsync(AuditChain.Imports, batch, cancellationToken);

    // The counter sits with the import chain's head (one key, one slot), so a backup or restore
    // takes both together and a number is never given to two batches.
    public Task<string> NewBatchAsync(CancellationToken cancellationToken) => RedisResilience.TranslateFailuresAsync(NewBatchUntranslatedAsync(cancellationToken));

    private async Task<string> NewBatchUntranslatedAsync(CancellationToken cancellationToken)
    {
        var number = await _database.HashIncrementAsync(_layout.ChainKeys(RedisKeyLayout.ImportChainTag).Heads, NextBatchField).WaitAsync(cancellationToken);
        return CompactValueCodec.NumberedBatchPrefix + number.ToString(CultureInfo.InvariantCulture);
    }

    public IAsyncEnumerable<ListedSuppression> ExportAsync(CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailures(ExportUntranslatedAsync(cancellationToken), cancellationToken);

    private async IAsyncEnumerable<ListedSuppression> ExportUntranslatedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (_, tag, fields) in BucketWalk.AllAsync(_database, _layout, BucketWindow, cancellationToken))
        {
            foreach (var field in fields)
            {
                var value = BucketValue.Parse(field.Value);
                var addressHash = value.IsErased
                    ? NullIfEmpty(value.ErasedHash)
                    : (value.Address is { } address && AddressNormalizer.TryNormalize(address, out var normalized, out _) ? _audit.Key.AddressHash(normalized) : null);
                var mailboxKey = RedisKeyLayout.KeyOf(tag, field.Name);
                foreach (var (entry, entryBatch) in value.StoredEntries)
                {
                    yield return new ListedSuppression(value.Address, addressHash, entry, entryBatch, mailboxKey);
                }
            }
        }
    }

    public Task<ImportCounts> ImportAsync(IReadOnlyList<(ImportTarget Mailbox, SuppressionEntry Entry)> rows, string batch, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(ImportUntranslatedAsync(rows, batch, cancellationToken));

    private async Task<ImportCounts> ImportUntranslatedAsync(IReadOnlyList<(ImportTarget Mailbox, SuppressionEntry Entry)> rows, string batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(batch);

        // Most rows of an import are either new mailboxes or, on a second import, entries already
        // there, so the chunk is read first (one pipelined HGET each): a row whose scope is present
        // writes nothing, a new mailbox is one HSETNX (atomic: if someone else created the field
        // meanwhile it does nothing, and the row goes the slow way), and only a mailbox that has
        // other entries is merged and compare-and-set. Plain commands where possible, because a Lua
        // call costs far more than a hash command on the embedded server (and a cluster still sees
        // one key per command).
        var formatRead = _database.StringGetAsync(_layout.FormatKey);
        var slots = new AddressSlot[rows.Count];
        var reads = new Task<RedisValue>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            slots[i] = rows[i].Mailbox.Address is { } address ? _layout.Locate(address) : _layout.Locate(rows[i].Mailbox.Key!.Value);
            reads[i] = _database.HashGetAsync(slots[i].BucketKey, slots[i].Field);
        }

        await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var format = StorageFormatMarker.Parse(await formatRead.WaitAsync(cancellationToken));
        var writes = new List<(int Row, Task<bool> Created)>(rows.Count);
        var present = 0L;
        for (var i = 0; i < rows.Count; i++)
        {
            var current = await reads[i];
            if (current.IsNull)
            {
                writes.Add((i, _database.HashSetAsync(slots[i].BucketKey, slots[i].Field, Merged(current, rows[i], batch, format)!.Value, When.NotExists)));
            }
            else if (BucketValue.Parse(current).HasScope(rows[i].Entry.Scope))
            {
                present++;
            }
            else
            {
                writes.Add((i, MergeAsync(slots[i], rows[i], batch, format, current)));
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
                // Created by someone else between the read and the HSETNX (or, for a merge, the
                // scope was there after all): merge into what is there now.
                lostRaces.Add(MergeAsync(slots[row], rows[row], batch, format, await _database.HashGetAsync(slots[row].BucketKey, slots[row].Field)));
            }
        }

        foreach (var race in lostRaces)
        {
            imported += await race.WaitAsync(cancellationToken) ? 1 : 0;
        }

        return new ImportCounts(imported, rows.Count - imported);
    }

    // Compare-and-set until the row's entry is in (true) or an entry of its scope is found (false).
    private Task<bool> MergeAsync(AddressSlot slot, (ImportTarget Mailbox, SuppressionEntry Entry) row, string batch, StorageFormat format, RedisValue current) =>
        CompareAndSet.RetryAsync(
            async attempt =>
            {
                if (attempt > 1)
                {
                    current = await _database.HashGetAsync(slot.BucketKey, slot.Field);
                }

                if (Merged(current, row, batch, format) is not { } merged)
                {
                    return (true, false);
                }

                var written = current.IsNull
                    ? await _database.HashSetAsync(slot.BucketKey, slot.Field, merged, When.NotExists)
                    : (long)await _database.ScriptEvaluateAsync(RedisScripts.ReplaceField, [slot.BucketKey], [slot.Field, current, merged]) == 1;
                return (written, true);
            },
            () => $"Import: gave up merging into a mailbox after {CompareAndSet.MaxAttempts} concurrent changes won the race.");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <returns>The value with the row's entry added, or null when it has an entry of that scope.</returns>
    private static RedisValue? Merged(RedisValue current, (ImportTarget Mailbox, SuppressionEntry Entry) row, string batch, StorageFormat format)
    {
        var value = BucketValue.Parse(current);
        if (!value.TryAdd(row.Entry, batch))
        {
            return null;
        }

        if (row.Mailbox.Address is { } address)
        {
            value.RememberAddress(address);
        }
        else if (row.Mailbox.ErasedHash is not null || row.Entry.Reason == SuppressionReason.Erasure)
        {
            // A row without an address of an erased mailbox: from a compact store's export with its
            // hash, from a hashed store's with only its erasure entry to tell. Either way it stays erased.
            value.RememberErasedHash(row.Mailbox.ErasedHash ?? string.Empty);
        }

        return value.Format(format);
    }
}
