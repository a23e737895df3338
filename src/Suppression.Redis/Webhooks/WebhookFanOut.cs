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
    // Buckets popped per round trip, and pointers read per bucket per pass.
    private const int BucketsPerPop = 64;
    private const int PointersPerPass = 256;

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
            var records = await ReadRecordsAsync(pointers, cancellationToken);
            var page = new List<QueuedBody>(pointers.Length);
            foreach (var pointer in pointers)
            {
                if (records.TryGetValue(pointer!, out var entry) && WebhookEvent.From(entry) is { } webhookEvent && subscription.Wants(webhookEvent.Type, webhookEvent.Tenant))
                {
                    page.Add(new QueuedBody(webhookEvent.Id, webhookEvent.Time, WebhookPayload.Write(webhookEvent, subscription.IncludeAddress)));
                }
            }

            if (page.Count > 0)
            {
                await _backlog.EnqueueAsync(subscription.EndpointId, page).WaitAsync(cancellationToken);
                queued += page.Count;
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

            // Side by side: the multiplexer pipelines their round trips, which is what keeps one
            // instance ahead of thousands of changes a second.
            handled += (await Task.WhenAll(buckets.Select(bucket => FanOutBucketAsync(bucket!, cancellationToken)))).Sum();
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

    private async Task<int> FanOutBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        var outbox = _layout.OutboxKey(bucket);
        var pointers = await _database.ListRangeAsync(outbox, 0, PointersPerPass - 1).WaitAsync(cancellationToken);
        if (pointers.Length == 0)
        {
            return 0;
        }

        var records = await ReadRecordsAsync(pointers, cancellationToken);
        var events = new List<(RedisValue Pointer, WebhookEvent Event)>(pointers.Length);
        foreach (var pointer in pointers)
        {
            // A record gone (a blocked record cut by retention) or unreadable has no event to send.
            if (records.TryGetValue(pointer!, out var entry) && WebhookEvent.From(entry) is { } webhookEvent)
            {
                events.Add((pointer, webhookEvent));
            }
        }

        // One script per endpoint and one log write for the whole pass, side by side: a bucket's
        // events cost a handful of round trips, not a few per event.
        var writes = new List<Task>(_subscriptions.Count + 1);
        foreach (var subscription in _subscriptions)
        {
            var wanted = events.Where(item => subscription.Wants(item.Event.Type, item.Event.Tenant))
                .Select(item => new QueuedBody(item.Event.Id, item.Event.Time, WebhookPayload.Write(item.Event, subscription.IncludeAddress)))
                .ToList();
            if (wanted.Count > 0)
            {
                writes.Add(_backlog.EnqueueAsync(subscription.EndpointId, wanted));
            }
        }

        if (events.Count > 0)
        {
            writes.Add(_database.SortedSetAddAsync(
                _layout.WebhookLogKey, [.. events.Select(item => new SortedSetEntry(item.Pointer, item.Event.Time.ToUnixTimeMilliseconds()))]));
        }

        await Task.WhenAll(writes).WaitAsync(cancellationToken);

        var addressed = events.Where(item => item.Event.Address is not null
            && _subscriptions.Any(subscription => subscription.IncludeAddress && subscription.Wants(item.Event.Type, item.Event.Tenant))).ToList();
        await RedactErasedSinceReadAsync(addressed, cancellationToken);

        // More than one pass's worth, or pushed meanwhile: another pass (by whichever instance pops it).
        var left = (long)await _database.ScriptEvaluateAsync(RedisScripts.TrimOutbox, [outbox], pointers).WaitAsync(cancellationToken);
        if (left > 0)
        {
            await _database.SetAddAsync(_layout.OutboxReadyKey, bucket).WaitAsync(cancellationToken);
        }

        return pointers.Length;
    }

    // An erasure blanks the chain, then redacts queued bodies; this queued, then reads the chain again.
    // So an erasure that blanked a record after it was read here is seen here, and one that blanks it
    // later finds the body queued: either way no body keeps the address.
    private async Task RedactErasedSinceReadAsync(List<(RedisValue Pointer, WebhookEvent Event)> addressed, CancellationToken cancellationToken)
    {
        if (addressed.Count == 0)
        {
            return;
        }

        var again = await ReadRecordsAsync([.. addressed.Select(item => item.Pointer)], cancellationToken);
        foreach (var (pointer, webhookEvent) in addressed)
        {
            if (again.TryGetValue(pointer!, out var entry) && entry.Address is not null)
            {
                continue;
            }

            foreach (var subscription in _subscriptions.Where(subscription => subscription.IncludeAddress && subscription.Wants(webhookEvent.Type, webhookEvent.Tenant)))
            {
                await _backlog.RedactAsync(subscription.EndpointId, webhookEvent.Id, cancellationToken);
            }
        }
    }

    // The pointed records, by pointer. A chain's records are read as one range: sequence n is at
    // index n - (first sequence) (the blocked chain's oldest records may have been cut).
    private async Task<Dictionary<string, AuditEntry>> ReadRecordsAsync(RedisValue[] pointers, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        var byChain = new Dictionary<string, (AuditChain Chain, long Min, long Max)>(StringComparer.Ordinal);
        foreach (var pointer in pointers)
        {
            if (WebhookOutbox.TryParsePosition(pointer, out var name, out var sequence) && AuditChain.TryParse(name, out var chain))
            {
                byChain[name] = byChain.TryGetValue(name, out var range)
                    ? (chain, Math.Min(range.Min, sequence), Math.Max(range.Max, sequence))
                    : (chain, sequence, sequence);
            }
        }

        foreach (var (chain, min, max) in byChain.Values)
        {
            var list = chain.ListKey(_layout.ChainKeys(chain.Tag));
            var first = await _database.ListGetByIndexAsync(list, 0).WaitAsync(cancellationToken);
            if (first.IsNull || !AuditElement.TrySplit(first!, out var firstParts))
            {
                continue;
            }

            var offset = firstParts.Sequence;
            foreach (var element in await _database.ListRangeAsync(list, Math.Max(0, min - offset), max - offset).WaitAsync(cancellationToken))
            {
                if (AuditElement.TrySplit(element!, out var parts) && parts.Sequence >= min && parts.Sequence <= max && AuditElement.TryRead(chain, parts, out var entry))
                {
                    records[WebhookOutbox.PositionOf(chain.Name, parts.Sequence)] = entry;
                }
            }
        }

        return records;
    }
}
