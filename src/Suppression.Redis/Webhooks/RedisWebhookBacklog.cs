using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;
using Suppression.Redis.Telemetry;
using Suppression.Webhooks;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// The endpoints' backlogs in Redis (docs/data-model.md, webhooks): per endpoint a queue of event ids
/// by due time, their bodies and attempt counts, a lease, a state hash and a dead-letter list, all
/// under the endpoint's hash tag so each change is one transaction in one slot.
/// </summary>
public sealed class RedisWebhookBacklog : IWebhookBacklog
{
    private const string LastSuccessField = "lastSuccess";
    private const string FailuresField = "failures";
    private const string LastErrorField = "lastError";
    private const string DisabledField = "disabled";
    private const string DisabledReasonField = "disabledReason";
    private const string DisabledAtField = "disabledAt";

    // Events made due again per script call when an endpoint resumes.
    private const int ResumePage = 1000;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly RedisWebhookDeadLetters _deadLetters;

    public RedisWebhookBacklog(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        _database = connection.GetDatabase();
        _layout = layout;
        _deadLetters = new RedisWebhookDeadLetters(_database, layout);
    }

    /// <summary>
    /// Queues events' bodies for an endpoint, due at once (each scored by its event's time, so the
    /// oldest goes first), in one script. Idempotent by event id: a fan-out run again after a crash
    /// adds nothing, and an event already retried keeps its due time and attempts.
    /// </summary>
    /// <returns>How many were new to the backlog.</returns>
    internal async Task<long> EnqueueAsync(string endpointId, IReadOnlyList<QueuedBody> bodies)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var arguments = new RedisValue[bodies.Count * 3];
        for (var index = 0; index < bodies.Count; index++)
        {
            arguments[index * 3] = bodies[index].EventId;
            arguments[(index * 3) + 1] = bodies[index].Time.ToUnixTimeMilliseconds();
            arguments[(index * 3) + 2] = bodies[index].Body;
        }

        var added = (long)await _database.ScriptEvaluateAsync(RedisScripts.EnqueueWebhooks, [keys.Queue, keys.Times, keys.Bodies], arguments);
        RedisTelemetry.CountWebhooksQueued(endpointId, added);
        return added;
    }

    public async Task<bool> TryHoldAsync(string endpointId, string instance, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        var held = await _database.ScriptEvaluateAsync(
            RedisScripts.HoldLease, [_layout.WebhookKeys(endpointId).Lease], [instance, (long)lease.TotalMilliseconds]).WaitAsync(cancellationToken);
        return (long)held == 1;
    }

    public async Task<IReadOnlyList<QueuedWebhook>> DueAsync(string endpointId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var ids = await _database.SortedSetRangeByScoreAsync(keys.Queue, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: max).WaitAsync(cancellationToken);
        if (ids.Length == 0)
        {
            return [];
        }

        var batch = _database.CreateBatch();
        var bodiesRead = batch.HashGetAsync(keys.Bodies, ids);
        var attemptsRead = batch.HashGetAsync(keys.Attempts, ids);
        batch.Execute();
        var bodies = await bodiesRead.WaitAsync(cancellationToken);
        var attempts = await attemptsRead.WaitAsync(cancellationToken);

        var due = new List<QueuedWebhook>(ids.Length);
        for (var index = 0; index < ids.Length; index++)
        {
            // A queue entry without its body cannot be sent; it is not one either, so it leaves.
            if (bodies[index].IsNull || !WebhookBodyHead.TryRead(bodies[index]!, out var type, out var time))
            {
                var removal = _database.CreateTransaction();
                QueueRemoval(removal, keys, ids[index]);
                await removal.ExecuteAsync().WaitAsync(cancellationToken);
                continue;
            }

            due.Add(new QueuedWebhook(ids[index]!, time, type, bodies[index]!, attempts[index].IsNull ? 0 : (int)attempts[index]));
        }

        return due;
    }

    public async Task DeliveredAsync(string endpointId, IReadOnlyCollection<string> eventIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return;
        }

        var keys = _layout.WebhookKeys(endpointId);
        var transaction = _database.CreateTransaction();
        QueueRemoval(transaction, keys, [.. eventIds.Select(eventId => (RedisValue)eventId)]);
        _ = transaction.HashSetAsync(keys.State, [new(LastSuccessField, at.ToUnixTimeMilliseconds()), new(FailuresField, 0)]);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task<long> ResumeAsync(string endpointId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        long moved = 0;

        // A page per call, so a backlog of millions never holds the server in one script.
        while (true)
        {
            var page = (long)await _database.ScriptEvaluateAsync(
                RedisScripts.ResumeWebhooks, [keys.Queue, keys.Times], [now.ToUnixTimeMilliseconds(), ResumePage]).WaitAsync(cancellationToken);
            moved += page;
            if (page < ResumePage)
            {
                return moved;
            }
        }
    }

    public async Task RetryAsync(string endpointId, string eventId, DateTimeOffset due, string failure, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var transaction = _database.CreateTransaction();

        // XX: an event delivered meanwhile (by the lease's previous holder) does not come back.
        _ = transaction.SortedSetAddAsync(keys.Queue, eventId, due.ToUnixTimeMilliseconds(), SortedSetWhen.Exists);
        _ = transaction.HashIncrementAsync(keys.Attempts, eventId);
        _ = transaction.HashIncrementAsync(keys.State, FailuresField);
        _ = transaction.HashSetAsync(keys.State, LastErrorField, failure);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task DeadLetterAsync(string endpointId, string eventId, string failure, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var batch = _database.CreateBatch();
        var bodyRead = batch.HashGetAsync(keys.Bodies, eventId);
        var attemptsRead = batch.HashGetAsync(keys.Attempts, eventId);
        batch.Execute();
        var body = await bodyRead.WaitAsync(cancellationToken);
        var attempts = await attemptsRead.WaitAsync(cancellationToken);

        var transaction = _database.CreateTransaction();
        if (!body.IsNull)
        {
            transaction.AddCondition(Condition.HashEqual(keys.Bodies, eventId, body));
            _ = transaction.ListRightPushAsync(keys.Dead, new WebhookDeadLetter(eventId, failure, (attempts.IsNull ? 0 : (int)attempts) + 1, body!).Write());
        }

        QueueRemoval(transaction, keys, eventId);
        _ = transaction.HashIncrementAsync(keys.State, FailuresField);
        _ = transaction.HashSetAsync(keys.State, LastErrorField, failure);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }

    public async Task DisableAsync(string endpointId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        await _database.HashSetAsync(keys.State, [new(DisabledField, 1), new(DisabledReasonField, reason), new(DisabledAtField, at.ToUnixTimeMilliseconds())])
            .WaitAsync(cancellationToken);
    }

    public async Task<WebhookEndpointState> StateAsync(string endpointId, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var batch = _database.CreateBatch();
        var stateRead = batch.HashGetAllAsync(keys.State);
        var backlogRead = batch.SortedSetLengthAsync(keys.Queue);
        var oldestRead = batch.SortedSetRangeByRankWithScoresAsync(keys.Times, 0, 0);
        var deadRead = batch.ListLengthAsync(keys.Dead);
        batch.Execute();
        var state = (await stateRead.WaitAsync(cancellationToken)).ToDictionary(entry => (string)entry.Name!, entry => entry.Value, StringComparer.Ordinal);
        var oldest = await oldestRead.WaitAsync(cancellationToken);

        return new WebhookEndpointState(
            endpointId,
            Disabled: state.TryGetValue(DisabledField, out var disabled) && disabled == 1,
            DisabledReason: state.TryGetValue(DisabledReasonField, out var reason) ? (string?)reason : null,
            LastSuccess: state.TryGetValue(LastSuccessField, out var success) ? DateTimeOffset.FromUnixTimeMilliseconds((long)success) : null,
            ConsecutiveFailures: state.TryGetValue(FailuresField, out var failures) ? (int)failures : 0,
            LastError: state.TryGetValue(LastErrorField, out var error) ? (string?)error : null,
            Backlog: await backlogRead.WaitAsync(cancellationToken),
            OldestUndelivered: oldest.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)oldest[0].Score),
            DeadLetters: await deadRead.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Takes the clear address out of every body queued for <paramref name="endpointIds"/> of the
    /// mailbox with this keyed hash (erasure); the hash stays. Returns how many bodies changed.
    /// </summary>
    internal async Task<long> RedactAsync(IEnumerable<string> endpointIds, string addressHash, CancellationToken cancellationToken)
    {
        long changed = 0;
        foreach (var endpointId in endpointIds)
        {
            var keys = _layout.WebhookKeys(endpointId);
            await foreach (var entry in _database.HashScanAsync(keys.Bodies).WithCancellation(cancellationToken))
            {
                var body = (string)entry.Value!;
                if (WebhookPayload.AddressOf(body) is (string hash, true) && string.Equals(hash, addressHash, StringComparison.Ordinal))
                {
                    changed += (long)await _database.ScriptEvaluateAsync(
                        RedisScripts.RedactWebhookBody, [keys.Bodies], [entry.Name, body, WebhookPayload.WithoutAddress(body)]).WaitAsync(cancellationToken);
                }
            }
        }

        return changed;
    }

    /// <summary>Takes the clear address out of one queued body, if it has one.</summary>
    internal async Task RedactAsync(string endpointId, string eventId, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var body = await _database.HashGetAsync(keys.Bodies, eventId).WaitAsync(cancellationToken);
        if (!body.IsNull && WebhookPayload.AddressOf(body!).HasAddress)
        {
            await _database.ScriptEvaluateAsync(RedisScripts.RedactWebhookBody, [keys.Bodies], [eventId, body, WebhookPayload.WithoutAddress(body!)]).WaitAsync(cancellationToken);
        }
    }

    // Queued on a transaction, so the four go together.
    private static void QueueRemoval(ITransaction transaction, WebhookEndpointKeys keys, params RedisValue[] eventIds)
    {
        _ = transaction.SortedSetRemoveAsync(keys.Queue, eventIds);
        _ = transaction.SortedSetRemoveAsync(keys.Times, eventIds);
        _ = transaction.HashDeleteAsync(keys.Bodies, eventIds);
        _ = transaction.HashDeleteAsync(keys.Attempts, eventIds);
    }

    public async Task<bool> EnableAsync(string endpointId, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        var transaction = _database.CreateTransaction();
        var wasDisabled = transaction.HashExistsAsync(keys.State, DisabledField);

        // The last error stays: it says why the receiver had gone, until the next success.
        _ = transaction.HashDeleteAsync(keys.State, [DisabledField, DisabledReasonField, DisabledAtField, FailuresField]);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        return await wasDisabled.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DeadWebhook>> DeadLettersAsync(string endpointId, int max, CancellationToken cancellationToken) =>
        _deadLetters.ListAsync(endpointId, max, cancellationToken);

    public Task<long> RequeueDeadLettersAsync(string endpointId, CancellationToken cancellationToken) =>
        _deadLetters.RequeueAsync(endpointId, cancellationToken);

    /// <inheritdoc cref="RedisWebhookDeadLetters.RedactAsync"/>
    internal Task<long> RedactDeadLettersAsync(IEnumerable<string> endpointIds, string addressHash, CancellationToken cancellationToken) =>
        _deadLetters.RedactAsync(endpointIds, addressHash, cancellationToken);
}

/// <summary>One event's payload for one endpoint, as the fan-out queues it.</summary>
internal readonly record struct QueuedBody(string EventId, DateTimeOffset Time, string Body);
