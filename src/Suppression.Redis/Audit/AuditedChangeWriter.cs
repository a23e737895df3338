using System.Globalization;
using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Telemetry;
using Suppression.Redis.Webhooks;

namespace Suppression.Redis.Audit;

/// <summary>
/// Writes every change the gateway makes to what it keeps about a mailbox (suppressions, removals,
/// blocked deliveries, erasures), each together with the audit record that records it, atomically
/// (append-audit.lua): nothing else writes a suppression. The hash is keyed (<see cref="AuditKey"/>),
/// so it is computed here, not in Lua: read the chain's head and the mailbox's field, decide,
/// compute, then write if neither moved (optimistic concurrency; a lost race reads again). Errors propagate: a change whose record cannot
/// be written is not made, and the caller reports a temporary failure.
/// </summary>
public sealed class AuditedChangeWriter
{
    // Writers in this process take turns per chain, so they do not race each other for its head.
    // Striped, not one lock per chain: 262,144 buckets would be that many semaphores.
    private const int LockStripes = 1024;

    private readonly SemaphoreSlim[] _turns = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditKey _key;
    private readonly RedisResilience _resilience;
    private readonly WebhookOutbox? _outbox;

    /// <param name="outbox">When webhooks are configured: records whose event an endpoint wants get an outbox pointer in the same script.</param>
    public AuditedChangeWriter(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditKey key, RedisResilience? resilience = null, WebhookOutbox? outbox = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(key);
        _database = connection.GetDatabase();
        _layout = layout;
        _key = key;
        _resilience = resilience ?? RedisResilience.Unreported();
        _outbox = outbox;
    }

    public AuditKey Key => _key;

    /// <summary>
    /// Reads the mailbox's field, lets <paramref name="decide"/> change it and name the record, and
    /// writes both, retrying from the read when another writer came first.
    /// </summary>
    /// <param name="slot">The mailbox; its bucket's chain gets the record.</param>
    /// <param name="decide">
    /// Given the current value (to change in place), returns the record to append, or null to write
    /// nothing at all, and the caller's result.
    /// </param>
    internal async Task<T> AppendAsync<T>(AddressSlot slot, bool blocked, Func<BucketValue, (AuditRecord? Record, T Result)> decide, CancellationToken cancellationToken) =>
        (await AppendReviewedAsync(slot, blocked, reviewAfter: null, (value, _) => decide(value), cancellationToken)).Result;

    /// <summary>
    /// As <see cref="AppendAsync{T}(AddressSlot, bool, Func{BucketValue, ValueTuple{AuditRecord, T}}, CancellationToken)"/>,
    /// and also gives <paramref name="decide"/> the chain's records after sequence
    /// <paramref name="reviewAfter"/> (read with the head, so none can be added before the write
    /// without the write being retried), and returns the sequence of the record written, if any.
    /// </summary>
    internal async Task<(T Result, long? Sequence)> AppendReviewedAsync<T>(
        AddressSlot slot, bool blocked, long? reviewAfter, Func<BucketValue, IReadOnlyList<AuditEntry>, (AuditRecord? Record, T Result)> decide, CancellationToken cancellationToken)
    {
        var chain = blocked ? AuditChain.Blocked(slot.Bucket) : AuditChain.Changes(slot.Bucket);
        try
        {
            return await _resilience.WriteAsync(
                static (state, token) => state.Writer.AppendInTurnAsync(state.Slot, state.Chain, state.ReviewAfter, state.Decide, token),
                (Writer: this, Slot: slot, Chain: chain, ReviewAfter: reviewAfter, Decide: decide),
                cancellationToken);
        }
        catch (Exception exception) when (RedisTelemetry.CountError(RedisTelemetry.AuditAppend, exception))
        {
            throw;
        }
    }

    // The turn is taken inside the write pipeline, so its budget covers the wait for the turn too.
    private async ValueTask<(T Result, long? Sequence)> AppendInTurnAsync<T>(
        AddressSlot slot, AuditChain chain, long? reviewAfter, Func<BucketValue, IReadOnlyList<AuditEntry>, (AuditRecord? Record, T Result)> decide, CancellationToken cancellationToken)
    {
        var turn = TurnOf(chain);
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await ReadDecideWriteAsync(slot, chain, reviewAfter, decide, cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    // Races are lost only to other gateway instances: writes from this one queue per chain (TurnOf).
    private Task<(T Result, long? Sequence)> ReadDecideWriteAsync<T>(
        AddressSlot slot, AuditChain chain, long? reviewAfter, Func<BucketValue, IReadOnlyList<AuditEntry>, (AuditRecord? Record, T Result)> decide, CancellationToken cancellationToken)
    {
        var keys = _layout.ChainKeys(slot.Bucket);
        return CompareAndSet.RetryAsync<(T Result, long? Sequence)>(
            async _ =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = _database.CreateBatch();

                // The head first: a record appended after it was read moves it, and the write is retried.
                var headRead = batch.HashGetAsync(keys.Heads, chain.HeadField);
                var fieldRead = batch.HashGetAsync(keys.Bucket, slot.Field);
                var formatRead = batch.StringGetAsync(_layout.FormatKey);
                var newerRead = reviewAfter is { } after ? batch.ListRangeAsync(chain.ListKey(keys), after, -1) : null;
                batch.Execute();
                var head = (string?)await headRead.WaitAsync(cancellationToken) ?? string.Empty;
                var read = await fieldRead.WaitAsync(cancellationToken);
                var format = StorageFormatMarker.Parse(await formatRead.WaitAsync(cancellationToken));
                var newer = newerRead is null ? [] : await NewerEntriesAsync(chain, keys, reviewAfter!.Value, ParseHead(head).Sequence, await newerRead.WaitAsync(cancellationToken), cancellationToken);

                // Bytes, not a string: a compact value is not UTF-8, and the script compares it exactly.
                var current = read.IsNull ? RedisValue.EmptyString : read;
                var value = BucketValue.Parse(current);
                var (record, result) = decide(value, newer);
                if (record is null)
                {
                    return (true, (result, null));
                }

                // A record of an erased mailbox keeps only the hash, even when the caller knew the address.
                var address = value.IsErased ? null : record.Address?.Value;
                var written = await TryWriteAsync(chain, keys, head, record, address, slot.Field, current, value.Format(format), cancellationToken);
                if (!written)
                {
                    return (false, default);
                }

                AuditStatistics.Count(_database, _layout, record);
                RedisTelemetry.AuditRecordWritten(record);
                return (true, (result, ParseHead(head).Sequence + 1));
            },
            () => GaveUp(chain));
    }

    // Sequence n is at index n - 1 of a chain nothing was cut from (changes chains never are); when the
    // elements read say otherwise, the whole chain is read and filtered instead.
    private async Task<List<AuditEntry>> NewerEntriesAsync(
        AuditChain chain, AuditChainKeys keys, long after, long headSequence, RedisValue[] fromIndex, CancellationToken cancellationToken)
    {
        var elements = fromIndex;
        if (headSequence > after && (elements.Length == 0 || !AuditElement.TrySplit(elements[0]!, out var first) || first.Sequence != after + 1))
        {
            elements = await _database.ListRangeAsync(chain.ListKey(keys), 0, -1).WaitAsync(cancellationToken);
        }

        var entries = new List<AuditEntry>();
        foreach (var element in elements)
        {
            if (AuditElement.TrySplit(element!, out var parts) && parts.Sequence > after && AuditElement.TryRead(chain, parts, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Appends a record that changes no field (an import batch) to a chain of its own.</summary>
    public async Task AppendAsync(AuditChain chain, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await _resilience.WriteAsync(
                static (state, token) => state.Writer.AppendInTurnAsync(state.Chain, state.Record, token),
                (Writer: this, Chain: chain, Record: record),
                cancellationToken);
        }
        catch (Exception exception) when (RedisTelemetry.CountError(RedisTelemetry.AuditAppend, exception))
        {
            throw;
        }
    }

    private async ValueTask<bool> AppendInTurnAsync(AuditChain chain, AuditRecord record, CancellationToken cancellationToken)
    {
        var turn = TurnOf(chain);
        await turn.WaitAsync(cancellationToken);
        try
        {
            await WriteAtHeadAsync(chain, _layout.ChainKeys(chain.Tag), record, cancellationToken);
            return true;
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task WriteAtHeadAsync(AuditChain chain, AuditChainKeys keys, AuditRecord record, CancellationToken cancellationToken) =>
        await CompareAndSet.RetryAsync(
            async _ =>
            {
                var head = (string?)await _database.HashGetAsync(keys.Heads, chain.HeadField).WaitAsync(cancellationToken) ?? string.Empty;
                if (!await TryWriteAsync(chain, keys, head, record, record.Address?.Value, RedisValue.EmptyString, RedisValue.EmptyString, RedisValue.EmptyString, cancellationToken))
                {
                    return (false, false);
                }

                AuditStatistics.Count(_database, _layout, record);
                RedisTelemetry.AuditRecordWritten(record);
                return (true, true);
            },
            () => GaveUp(chain));

    private static string GaveUp(AuditChain chain) => $"Audit chain {chain.Name}: gave up after {CompareAndSet.MaxAttempts} concurrent writes won the race.";

    private SemaphoreSlim TurnOf(AuditChain chain) => _turns[(int)((uint)StringComparer.Ordinal.GetHashCode(chain.Name) % LockStripes)];

    private async Task<bool> TryWriteAsync(
        AuditChain chain, AuditChainKeys keys, string head, AuditRecord record, string? address, RedisValue field, RedisValue currentValue, RedisValue newValue,
        CancellationToken cancellationToken)
    {
        var (previousSequence, previousHash) = ParseHead(head);
        var sequence = previousSequence + 1;
        var body = AuditElement.Body(record, record.Address is { } mailbox ? _key.AddressHash(mailbox) : null);
        var hash = _key.ChainHash(chain.Name, sequence, previousHash, body);
        RedisKey[] scriptKeys = [keys.Heads, chain.ListKey(keys), keys.Bucket];
        RedisValue[] scriptArguments = [chain.HeadField, head, AuditElement.Head(sequence, hash), AuditElement.Format(sequence, hash, record.Time, address, body), field, currentValue, newValue];

        // Webhooks off, or no endpoint wants this record's event: the script as it always was, no outbox key.
        var outboxed = _outbox is not null && _outbox.Wants(record);
        if (outboxed)
        {
            scriptKeys = [.. scriptKeys, _layout.OutboxKey(chain.Tag)];
            scriptArguments = [.. scriptArguments, WebhookOutbox.PositionOf(chain.Name, sequence)];
        }

        var outcome = await _database.ScriptEvaluateAsync(RedisScripts.AppendAudit, scriptKeys, scriptArguments).WaitAsync(cancellationToken);
        var written = (long)outcome == 1;
        if (written && outboxed)
        {
            // Not atomic with the script, and not waited for: a lost marker only delays the event
            // until the sweep finds the outbox (WebhookFanOut.SweepAsync), it never loses it.
            _ = _database.SetAdd(_layout.OutboxReadyKey, chain.Tag, CommandFlags.FireAndForget);
        }

        return written;
    }

    /// <summary>A head is "sequence\thash"; a chain that has none starts after sequence 0 and an empty hash.</summary>
    internal static (long Sequence, string Hash) ParseHead(string head)
    {
        var tab = head.IndexOf('\t', StringComparison.Ordinal);
        return tab > 0 && long.TryParse(head.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? (sequence, head[(tab + 1)..])
            : (0, string.Empty);
    }
}
