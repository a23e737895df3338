using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;
using Suppression.Webhooks;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// Moves events from the buckets' outboxes to the endpoints' backlogs (docs/design.md, Webhooks):
/// pops ready buckets (so instances share the work without a lock), reads each pointed record from
/// its chain, builds each wanting endpoint's payload and queues it idempotently, then trims the
/// pointers it handled. A crash anywhere in between queues the same event ids again: no loss, no
/// second queue entry. The sweep finds outboxes whose ready marker was lost. Each event's pointer
/// also goes to the event log, from which a time range is replayed.
/// </summary>
public sealed class WebhookFanOut : IWebhookReplay
{
    // Buckets popped per round trip, pointers read per bucket per pass, and events per queueing script.
    private const int BucketsPerPop = 256;
    private const int PointersPerPass = 256;
    private const int QueuedPerScript = 500;

    // On a single server, buckets read or trimmed per script: a few dozen make the per-script cost
    // vanish per event, while a backlog (up to PointersPerPass in each) keeps one script short.
    private const int BucketsPerScript = 64;

    // Replay reads the log a page at a time.
    private const int LogPage = 1000;

    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly RedisWebhookBacklog _backlog;
    private readonly IReadOnlyList<WebhookSubscription> _subscriptions;
    private readonly TimeProvider _time;

    public WebhookFanOut(IConnectionMultiplexer connection, RedisKeyLayout layout, RedisWebhookBacklog backlog, WebhookOutbox outbox, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(backlog);
        ArgumentNullException.ThrowIfNull(outbox);
        _connection = connection;
        _database = connection.GetDatabase();
        _layout = layout;
        _backlog = backlog;
        _subscriptions = outbox.Subscriptions;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Two weeks: past the Standard Webhooks retry schedule (about 3 days), with room for an outage noticed late.</summary>
    public TimeSpan LogRetention { get; } = TimeSpan.FromDays(14);

    public async Task<long> ReplayAsync(string endpointId, DateTimeOffset since, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var subscription = _subscriptions.FirstOrDefault(candidate => string.Equals(candidate.EndpointId, endpointId, StringComparison.Ordinal))
            ?? throw new ArgumentException($"No webhook endpoint '{endpointId}' is configured.", nameof(endpointId));
        long queued = 0;
        for (long skip = 0; ; skip += LogPage)
        {
            var pointers = await _database.SortedSetRangeByScoreAsync(
                _layout.WebhookLogKey, since.ToUnixTimeMilliseconds(), before.ToUnixTimeMilliseconds(), Exclude.Stop, skip: skip, take: LogPage).WaitAsync(cancellationToken);
            var endedBefore = await ErasuresAsync(_layout.ErasuresEndedKey, cancellationToken);
            var records = await ReadRecordsAsync(pointers, cancellationToken);
            var page = new List<QueuedBody>(pointers.Length);
            var queuedEvents = new List<(string Bucket, RedisValue Pointer, WebhookEvent Event)>(pointers.Length);
            foreach (var pointer in pointers)
            {
                if (records.TryGetValue(pointer!, out var entry) && WebhookEvent.From(entry) is { } webhookEvent && subscription.Wants(webhookEvent.Type, webhookEvent.Tenant))
                {
                    page.Add(new QueuedBody(webhookEvent.Id, webhookEvent.Time, WebhookPayload.Write(webhookEvent, subscription.IncludeAddress)));
                    queuedEvents.Add((BucketOf(pointer), pointer, webhookEvent));
                }
            }

            if (page.Count > 0)
            {
                await _backlog.EnqueueAsync(subscription.EndpointId, page).WaitAsync(cancellationToken);
                queued += page.Count;
                await RedactErasedSinceReadAsync(endedBefore, queuedEvents, cancellationToken);
            }

            if (pointers.Length < LogPage)
            {
                return queued;
            }
        }
    }

    /// <summary>Fans out every ready bucket; returns how many events were handled (queued for at least none).</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        long handled = 0;
        while (true)
        {
            var buckets = await _database.SetPopAsync(_layout.OutboxReadyKey, BucketsPerPop).WaitAsync(cancellationToken);
            if (buckets.Length == 0)
            {
                return handled;
            }

            handled += await FanOutBucketsAsync([.. buckets.Select(bucket => (string)bucket!)], cancellationToken);
            await _database.SortedSetRemoveRangeByScoreAsync(
                _layout.WebhookLogKey, double.NegativeInfinity, (_time.GetUtcNow() - LogRetention).ToUnixTimeMilliseconds(), Exclude.Stop).WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Marks ready every bucket whose outbox holds pointers, found by SCAN on each primary: what a
    /// crash between a change's script and its ready marker left behind. Returns how many it found.
    /// </summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        long found = 0;
        foreach (var server in _connection.GetServers().Where(server => !server.IsReplica && server.IsConnected))
        {
            await foreach (var key in server.KeysAsync(pattern: _layout.OutboxPattern, pageSize: 1000).WithCancellation(cancellationToken))
            {
                if (_layout.OutboxBucket(key!) is { } bucket)
                {
                    await _database.SetAddAsync(_layout.OutboxReadyKey, bucket).WaitAsync(cancellationToken);
                    found++;
                }
            }
        }

        return found;
    }

    // Popped buckets at once: their pointers and records read, then one queueing script per endpoint
    // and one log write for all of them, the addressed records read again, then the outboxes trimmed.
    // Each read, re-read and trim is one script per group of buckets: a group is one bucket in a
    // cluster (a script touches one slot), where the scripts are pipelined side by side, and dozens
    // on a single server, where at thousands of changes a second (a pointer or two per bucket) a
    // script per bucket would be several per event.
    private async Task<long> FanOutBucketsAsync(IReadOnlyList<string> buckets, CancellationToken cancellationToken)
    {
        var endedBefore = await ErasuresAsync(_layout.ErasuresEndedKey, cancellationToken);
        var reads = await ReadBucketsAsync(buckets, pointers: null, cancellationToken);
        var events = new List<(int Bucket, RedisValue Pointer, WebhookEvent Event)>();
        for (var index = 0; index < buckets.Count; index++)
        {
            foreach (var pointer in reads[index].Pointers)
            {
                // A record gone (a blocked record cut by retention) or unreadable has no event to send.
                if (reads[index].Records.TryGetValue(pointer!, out var entry) && WebhookEvent.From(entry) is { } webhookEvent)
                {
                    events.Add((index, pointer, webhookEvent));
                }
            }
        }

        if (events.Count > 0)
        {
            var writes = new List<Task>(_subscriptions.Count + 1);
            foreach (var subscription in _subscriptions)
            {
                var wanted = events.Where(item => subscription.Wants(item.Event.Type, item.Event.Tenant))
                    .Select(item => new QueuedBody(item.Event.Id, item.Event.Time, WebhookPayload.Write(item.Event, subscription.IncludeAddress)))
                    .ToList();
                writes.AddRange(wanted.Chunk(QueuedPerScript).Select(chunk => _backlog.EnqueueAsync(subscription.EndpointId, chunk)));
            }

            writes.Add(_database.SortedSetAddAsync(
                _layout.WebhookLogKey, [.. events.Select(item => new SortedSetEntry(item.Pointer, item.Event.Time.ToUnixTimeMilliseconds()))]));
            await Task.WhenAll(writes).WaitAsync(cancellationToken);

            await RedactErasedSinceReadAsync(endedBefore, [.. events.Select(item => (buckets[item.Bucket], item.Pointer, item.Event))], cancellationToken);
        }

        // More than one pass's worth, or pushed meanwhile: another pass (by whichever instance pops it).
        var read = Enumerable.Range(0, buckets.Count).Where(index => reads[index].Pointers.Length > 0).ToList();
        var left = await InGroupsAsync(read, async group => (long[])(await _database.ScriptEvaluateAsync(
            RedisScripts.TrimOutbox,
            [.. group.Select(index => _layout.OutboxKey(buckets[index]))],
            [.. group.SelectMany(index => reads[index].Pointers.Prepend(reads[index].Pointers.Length))]).WaitAsync(cancellationToken))!);
        await Task.WhenAll(read.Where((_, position) => left[position] > 0)
            .Select(index => _database.SetAddAsync(_layout.OutboxReadyKey, buckets[index]).WaitAsync(cancellationToken)));
        return read.Sum(index => (long)reads[index].Pointers.Length);
    }

    // An erasure blanks the chain, then redacts queued bodies; this queued, then reads the chain again.
    // So an erasure that blanked a record after it was read here is seen here, and one that blanks it
    // later finds the body queued: either way no body keeps the address. Only an erasure that was
    // under way during the pass can have blanked a record between the read and the queueing, so the
    // read again (one per bucket) is made only when the counters say there may be one: begun (read
    // now, after queueing) ahead of ended (read before the records were).
    private async Task RedactErasedSinceReadAsync(
        long endedBefore, List<(string Bucket, RedisValue Pointer, WebhookEvent Event)> queued, CancellationToken cancellationToken)
    {
        var addressed = queued.Where(item => item.Event.Address is not null
            && _subscriptions.Any(subscription => subscription.IncludeAddress && subscription.Wants(item.Event.Type, item.Event.Tenant))).ToList();
        if (addressed.Count == 0 || await ErasuresAsync(_layout.ErasuresBegunKey, cancellationToken) <= endedBefore)
        {
            return;
        }

        var byBucket = addressed.GroupBy(item => item.Bucket, StringComparer.Ordinal).ToList();
        var again = await ReadBucketsAsync(
            [.. byBucket.Select(group => group.Key)], [.. byBucket.Select(group => group.Select(item => item.Pointer).ToArray())], cancellationToken);
        for (var index = 0; index < byBucket.Count; index++)
        {
            foreach (var (_, pointer, webhookEvent) in byBucket[index])
            {
                if (again[index].Records.TryGetValue(pointer!, out var entry) && entry.Address is not null)
                {
                    continue;
                }

                foreach (var subscription in _subscriptions.Where(subscription => subscription.IncludeAddress && subscription.Wants(webhookEvent.Type, webhookEvent.Tenant)))
                {
                    await _backlog.RedactAsync(subscription.EndpointId, webhookEvent.Id, cancellationToken);
                }
            }
        }
    }

    // Buckets' pointers and the records they name (read-outbox.lua): from the head of each outbox
    // (pointers null), or the pointers given per bucket. In the buckets' order.
    private async Task<BucketRead[]> ReadBucketsAsync(IReadOnlyList<string> buckets, IReadOnlyList<RedisValue[]>? pointers, CancellationToken cancellationToken)
    {
        var reads = await InGroupsAsync(Enumerable.Range(0, buckets.Count).ToList(), async group =>
        {
            var result = (RedisResult[])(await _database.ScriptEvaluateAsync(
                RedisScripts.ReadOutbox,
                [.. group.SelectMany(index => OutboxAndChains(buckets[index]))],
                pointers is null ? [PointersPerPass] : [0, .. group.SelectMany(index => pointers[index].Prepend(pointers[index].Length))]).WaitAsync(cancellationToken))!;
            return group.Select((index, position) => Read(buckets[index], (RedisResult[])result[position]!)).ToArray();
        });
        return reads;
    }

    private IEnumerable<RedisKey> OutboxAndChains(string bucket)
    {
        var chains = _layout.ChainKeys(bucket);
        return [_layout.OutboxKey(bucket), chains.Changes, chains.Blocked];
    }

    private static BucketRead Read(string bucket, RedisResult[] result)
    {
        var records = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        Collect(AuditChain.Changes(bucket), (RedisValue[])result[1]!, records);
        Collect(AuditChain.Blocked(bucket), (RedisValue[])result[2]!, records);
        return new BucketRead((RedisValue[])result[0]!, records);
    }

    // Runs a script per group of items (one item per group in a cluster, BucketsPerScript otherwise),
    // side by side, and gives back the per-item results in the items' order.
    private async Task<T[]> InGroupsAsync<T>(List<int> items, Func<int[], Task<T[]>> run)
    {
        if (items.Count == 0)
        {
            return [];
        }

        var perScript = _connection.GetServers().Any(server => server.ServerType == ServerType.Cluster) ? 1 : BucketsPerScript;
        return [.. (await Task.WhenAll(items.Chunk(perScript).Select(run))).SelectMany(results => results)];
    }

    // The bucket of a pointer "c-<bucket>\t<sequence>" or "d-<bucket>\t<sequence>" (parsed before).
    private static string BucketOf(RedisValue pointer)
    {
        var text = (string)pointer!;
        return text[2..text.IndexOf('\t', StringComparison.Ordinal)];
    }

    private async Task<long> ErasuresAsync(RedisKey counter, CancellationToken cancellationToken) =>
        (long?)await _database.StringGetAsync(counter).WaitAsync(cancellationToken) ?? 0;

    private sealed record BucketRead(RedisValue[] Pointers, Dictionary<string, AuditEntry> Records);

    private static void Collect(AuditChain chain, RedisValue[] elements, Dictionary<string, AuditEntry> records)
    {
        foreach (var element in elements)
        {
            if (AuditElement.TrySplit(element!, out var parts) && AuditElement.TryRead(chain, parts, out var entry))
            {
                records[WebhookOutbox.PositionOf(chain.Name, parts.Sequence)] = entry;
            }
        }
    }

    // The pointed records of pointers from any buckets (the replay log's), by pointer.
    private async Task<Dictionary<string, AuditEntry>> ReadRecordsAsync(RedisValue[] pointers, CancellationToken cancellationToken)
    {
        var byBucket = pointers
            .Where(pointer => WebhookOutbox.TryParsePosition(pointer, out var name, out _) && AuditChain.TryParse(name, out _))
            .GroupBy(BucketOf, StringComparer.Ordinal)
            .ToList();
        var reads = await ReadBucketsAsync([.. byBucket.Select(group => group.Key)], [.. byBucket.Select(group => group.ToArray())], cancellationToken);
        return reads.SelectMany(read => read.Records).ToDictionary(StringComparer.Ordinal);
    }
}
