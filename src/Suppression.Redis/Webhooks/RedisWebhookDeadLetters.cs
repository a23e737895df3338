using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;
using Suppression.Webhooks;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// The endpoints' dead-letter lists (what the last retry left): read and requeued by operators,
/// redacted by an erasure so a requeue cannot send an erased address. The delivery's move of a
/// failed event into the list is <see cref="RedisWebhookBacklog.DeadLetterAsync"/>, in the same
/// transaction that takes it out of the queue.
/// </summary>
internal sealed class RedisWebhookDeadLetters(IDatabase database, RedisKeyLayout layout)
{
    // Dead letters read per round trip by the operator's tools and the erasure.
    private const int Page = 100;

    private readonly IDatabase _database = database;
    private readonly RedisKeyLayout _layout = layout;

    public async Task<IReadOnlyList<DeadWebhook>> ListAsync(string endpointId, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var letters = await _database.ListRangeAsync(_layout.WebhookKeys(endpointId).Dead, 0, max - 1).WaitAsync(cancellationToken);
        var dead = new List<DeadWebhook>(letters.Length);
        foreach (var letter in letters)
        {
            if (WebhookDeadLetter.TryRead(letter!) is { } read && WebhookBodyHead.TryRead(read.Body, out var type, out var time))
            {
                dead.Add(new DeadWebhook(read.EventId, type, time, read.Failure, read.Attempts));
            }
        }

        return dead;
    }

    public async Task<long> RequeueAsync(string endpointId, CancellationToken cancellationToken)
    {
        var keys = _layout.WebhookKeys(endpointId);
        long requeued = 0;

        // Each requeued letter leaves the head of the list; one that cannot be read stays there, and is stepped over.
        for (long unreadable = 0; ;)
        {
            var letters = await _database.ListRangeAsync(keys.Dead, unreadable, unreadable + Page - 1).WaitAsync(cancellationToken);
            if (letters.Length == 0)
            {
                return requeued;
            }

            foreach (var letter in letters)
            {
                if (WebhookDeadLetter.TryRead(letter!) is not { } read || !WebhookBodyHead.TryRead(read.Body, out _, out var time))
                {
                    unreadable++;
                    continue;
                }

                requeued += (long)await _database.ScriptEvaluateAsync(
                    RedisScripts.RequeueDeadLetter,
                    [keys.Dead, keys.Queue, keys.Times, keys.Bodies, keys.Attempts],
                    [letter, read.EventId, time.ToUnixTimeMilliseconds(), read.Body]).WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>
    /// Takes the clear address out of every dead letter of <paramref name="endpointIds"/> for the
    /// mailbox with this keyed hash (erasure), so a requeue cannot send it. Rewritten in place, each
    /// only if still the letter read; returns how many changed.
    /// </summary>
    public async Task<long> RedactAsync(IEnumerable<string> endpointIds, string addressHash, CancellationToken cancellationToken)
    {
        long changed = 0;
        foreach (var endpointId in endpointIds)
        {
            var dead = _layout.WebhookKeys(endpointId).Dead;
            for (long start = 0; ;)
            {
                var letters = await _database.ListRangeAsync(dead, start, start + Page - 1).WaitAsync(cancellationToken);
                var moved = false;
                for (var index = 0; index < letters.Length && !moved; index++)
                {
                    if (WebhookDeadLetter.TryRead(letters[index]!) is not { } read
                        || WebhookPayload.AddressOf(read.Body) is not (string hash, true)
                        || !string.Equals(hash, addressHash, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var transaction = _database.CreateTransaction();
                    transaction.AddCondition(Condition.ListIndexEqual(dead, start + index, letters[index]));
                    _ = transaction.ListSetByIndexAsync(dead, start + index, (read with { Body = WebhookPayload.WithoutAddress(read.Body) }).Write());
                    if (await transaction.ExecuteAsync().WaitAsync(cancellationToken))
                    {
                        changed++;
                    }
                    else
                    {
                        // The list moved under us (a requeue took its head): read again from the start.
                        moved = true;
                    }
                }

                if (moved)
                {
                    start = 0;
                    continue;
                }

                if (letters.Length < Page)
                {
                    break;
                }

                start += Page;
            }
        }

        return changed;
    }
}
