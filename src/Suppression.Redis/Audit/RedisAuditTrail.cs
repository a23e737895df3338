using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Audit;

/// <summary>
/// Searches, exports and verifies the audit chains (see <see cref="AuditChain"/>). Whole-trail walks
/// read the chains' heads a window of buckets at a time and each chain a page at a time, so memory
/// stays constant however long the trail is.
/// </summary>
public sealed class RedisAuditTrail : IAuditTrail
{
    private const int BucketWindow = 1024;
    private const int PageSize = 1000;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditKey _key;
    private readonly TimeProvider _time;

    public RedisAuditTrail(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditKey key, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        _database = connection.GetDatabase();
        _layout = layout;
        _key = key;
        _time = time;
    }

    public IAsyncEnumerable<AuditEntry> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RedisResilience.TranslateFailures(
            query.Address is { } address ? AddressHistoryAsync(address, query, cancellationToken) : WholeTrailAsync(query, cancellationToken), cancellationToken);
    }

    public Task<AuditVerification> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(VerifyUntranslatedAsync(progress, cancellationToken));

    private async Task<AuditVerification> VerifyUntranslatedAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var verifier = new ChainVerifier(_key);
        long records = 0;
        long chains = 0;
        await foreach (var (chain, heads) in ChainsWithRecordsAsync(afterChain: null, includeHeadless: true, cancellationToken))
        {
            chains++;
            var keys = _layout.ChainKeys(chain.Tag);
            var state = verifier.Start(chain, chain.IsBlocked ? heads.GetValueOrDefault("d0") : null);
            await foreach (var element in ElementsAsync(chain.ListKey(keys), cancellationToken))
            {
                if (!state.Check(element))
                {
                    return new AuditVerification(false, records, chains, chain.Name, state.FailedSequence, state.Problem);
                }

                records++;
                if (records % 10_000 == 0)
                {
                    progress?.Report(records);
                }
            }

            if (!state.Finish(heads.GetValueOrDefault((string)chain.HeadField!)))
            {
                return new AuditVerification(false, records, chains, chain.Name, state.FailedSequence, state.Problem);
            }
        }

        progress?.Report(records);
        return new AuditVerification(true, records, chains, null, null, null);
    }

    public Task<IReadOnlyList<AuditDailyCount>> DailyCountsAsync(DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(DailyCountsUntranslatedAsync(firstDay, lastDay, cancellationToken));

    private async Task<IReadOnlyList<AuditDailyCount>> DailyCountsUntranslatedAsync(DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            days.Add(day);
        }

        var batch = _database.CreateBatch();
        var reads = days.Select(day => batch.HashGetAllAsync(_layout.StatisticsKey(day))).ToList();
        batch.Execute();
        var counts = new List<AuditDailyCount>(days.Count);
        for (var i = 0; i < days.Count; i++)
        {
            var fields = (await reads[i].WaitAsync(cancellationToken)).ToDictionary(field => (string)field.Name!, field => (long)field.Value);
            counts.Add(new AuditDailyCount(
                days[i],
                fields.GetValueOrDefault("unsubscribe"),
                fields.GetValueOrDefault("complaint"),
                fields.GetValueOrDefault("hard-bounce"),
                fields.GetValueOrDefault(AuditStatistics.BlockedField),
                fields.GetValueOrDefault(AuditStatistics.OverriddenField)));
        }

        return counts;
    }

    // One mailbox's records live in its bucket's two chains (with the records of a few hundred other
    // mailboxes), plus the import batches its entries point to; read them all, keep its own, and put
    // them in the order they happened.
    private async IAsyncEnumerable<AuditEntry> AddressHistoryAsync(NormalizedAddress address, AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slot = _layout.Locate(address);
        var keys = _layout.ChainKeys(slot.Bucket);
        var addressHash = _key.AddressHash(address);
        var history = new List<AuditEntry>();
        foreach (var chain in new[] { AuditChain.Changes(slot.Bucket), AuditChain.Blocked(slot.Bucket) })
        {
            await foreach (var element in ElementsAsync(chain.ListKey(keys), cancellationToken))
            {
                if (AuditElement.TrySplit(element, out var parts) && AuditElement.TryRead(chain, parts, out var entry) && entry.AddressHash == addressHash)
                {
                    history.Add(entry);
                }
            }
        }

        var batches = BucketValue.Parse(await _database.HashGetAsync(keys.Bucket, slot.Field).WaitAsync(cancellationToken)).Batches;
        if (batches.Count > 0)
        {
            await foreach (var entry in ChainEntriesAsync(AuditChain.Imports, afterSequence: 0, cancellationToken))
            {
                if (entry.Batch is { } batch && batches.Contains(batch))
                {
                    history.Add(entry);
                }
            }
        }

        var afterSeen = query.After is null;
        foreach (var entry in history.OrderBy(entry => entry.Time).ThenBy(entry => entry.Chain, StringComparer.Ordinal).ThenBy(entry => entry.Sequence))
        {
            if (!afterSeen)
            {
                afterSeen = entry.Cursor == query.After;
                continue;
            }

            if (query.Matches(entry))
            {
                yield return entry;
            }
        }
    }

    private async IAsyncEnumerable<AuditEntry> WholeTrailAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (afterChain, afterSequence) = ParseCursor(query.After);
        await foreach (var (chain, _) in ChainsWithRecordsAsync(afterChain, includeHeadless: false, cancellationToken))
        {
            if (query.Types is { Count: > 0 } types && !CanHold(chain, types))
            {
                if (chain == AuditChain.Imports || !types.All(type => type == AuditEventType.Imported))
                {
                    continue;
                }

                // Only import batches are wanted, and their chain is behind us: no bucket needs reading.
                yield break;
            }

            var skip = chain == afterChain ? afterSequence : 0;
            await foreach (var entry in ChainEntriesAsync(chain, skip, cancellationToken))
            {
                if (query.Matches(entry))
                {
                    yield return entry;
                }
            }
        }
    }

    // Deliveries (blocked, or overridden by transactional mail) and import batches have chains of
    // their own, so a type filter can skip whole chains.
    private static bool CanHold(AuditChain chain, IReadOnlySet<AuditEventType> types) =>
        chain.IsBlocked ? types.Contains(AuditEventType.Blocked) || types.Contains(AuditEventType.Overridden)
        : chain == AuditChain.Imports ? types.Contains(AuditEventType.Imported)
        : types.Any(type => type is not AuditEventType.Blocked and not AuditEventType.Overridden and not AuditEventType.Imported);

    private async IAsyncEnumerable<AuditEntry> ChainEntriesAsync(AuditChain chain, long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var element in ElementsAsync(chain.ListKey(_layout.ChainKeys(chain.Tag)), cancellationToken))
        {
            if (AuditElement.TrySplit(element, out var parts) && parts.Sequence > afterSequence && AuditElement.TryRead(chain, parts, out var entry))
            {
                yield return entry;
            }
        }
    }

    private async IAsyncEnumerable<string> ElementsAsync(RedisKey list, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long start = 0; ; start += PageSize)
        {
            var page = await _database.ListRangeAsync(list, start, start + PageSize - 1).WaitAsync(cancellationToken);
            foreach (var element in page)
            {
                yield return element!;
            }

            if (page.Length < PageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The chains that have a head (records now or before a retention cut), in <see cref="AuditChain.All"/>
    /// order, starting at <paramref name="afterChain"/>; with <paramref name="includeHeadless"/>, also
    /// chains whose list exists without a head, which only an edit by hand produces.
    /// </summary>
    private async IAsyncEnumerable<(AuditChain Chain, Dictionary<string, string> Heads)> ChainsWithRecordsAsync(
        AuditChain? afterChain, bool includeHeadless, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var startBucket = 0;
        if (afterChain is null || afterChain == AuditChain.Imports)
        {
            var heads = await HeadsAsync(RedisKeyLayout.ImportChainTag, cancellationToken);
            var exists = includeHeadless && await _database.KeyExistsAsync(_layout.ChainKeys(RedisKeyLayout.ImportChainTag).Changes).WaitAsync(cancellationToken);
            if (heads.Count > 0 || exists)
            {
                yield return (AuditChain.Imports, heads);
            }
        }
        else
        {
            startBucket = Convert.ToInt32(afterChain.Tag, 16);
        }

        for (var window = startBucket; window < RedisKeyLayout.BucketCount; window += BucketWindow)
        {
            var end = Math.Min(window + BucketWindow, RedisKeyLayout.BucketCount);
            var batch = _database.CreateBatch();
            var reads = new List<(string Tag, Task<HashEntry[]> Heads, Task<long>? Changes, Task<long>? Blocked)>(end - window);
            for (var bucket = window; bucket < end; bucket++)
            {
                var tag = RedisKeyLayout.BucketTag(bucket);
                var keys = _layout.ChainKeys(tag);
                reads.Add((tag, batch.HashGetAllAsync(keys.Heads),
                    includeHeadless ? batch.ListLengthAsync(keys.Changes) : null,
                    includeHeadless ? batch.ListLengthAsync(keys.Blocked) : null));
            }

            batch.Execute();
            foreach (var (tag, headsRead, changesRead, blockedRead) in reads)
            {
                var heads = (await headsRead.WaitAsync(cancellationToken)).ToDictionary(field => (string)field.Name!, field => (string)field.Value!);
                var changes = AuditChain.Changes(tag);
                var blocked = AuditChain.Blocked(tag);
                var afterBlocked = afterChain is not null && afterChain.Tag == tag && afterChain.IsBlocked;
                if (!afterBlocked && (heads.ContainsKey("a") || (changesRead is not null && await changesRead > 0)))
                {
                    yield return (changes, heads);
                }

                if (heads.ContainsKey("d") || (blockedRead is not null && await blockedRead > 0))
                {
                    yield return (blocked, heads);
                }
            }
        }
    }

    private async Task<Dictionary<string, string>> HeadsAsync(string tag, CancellationToken cancellationToken) =>
        (await _database.HashGetAllAsync(_layout.ChainKeys(tag).Heads).WaitAsync(cancellationToken))
            .ToDictionary(field => (string)field.Name!, field => (string)field.Value!);

    private static (AuditChain? Chain, long Sequence) ParseCursor(string? cursor)
    {
        if (cursor is null)
        {
            return (null, 0);
        }

        var slash = cursor.LastIndexOf('/');
        return slash > 0
            && AuditChain.TryParse(cursor[..slash], out var chain)
            && long.TryParse(cursor.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                ? (chain, sequence)
                : throw new FormatException("The cursor is not one this API returned.");
    }
}
