using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Redis.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;
using Suppression.Webhooks;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// Moves <c>feedback.review</c> events from the review queue's outbox to the endpoints' backlogs
/// (docs/design.md, Webhooks): reads each pointed item, queues one event per recipient to each
/// endpoint that wants it (idempotently by event id), then trims the pointers it handled. The event
/// is built from the item as it is now: an item already applied, dismissed, expired or erased whole
/// needs no person any more and emits nothing, and a recipient an erasure took out of it is not
/// named. One outbox for the whole queue (held reports are few, bounded per source network), read
/// each tick by every instance: a second instance's pass queues the same ids, which adds nothing.
/// </summary>
public sealed class FeedbackReviewFanOut
{
    private const int PointersPerPass = 256;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly RedisWebhookBacklog _backlog;
    private readonly IReadOnlyList<WebhookSubscription> _subscriptions;
    private readonly AuditKey _key;

    /// <param name="key">The audit trail's key: the events carry the same keyed mailbox hash as its records, which an erasure redacts queued bodies by.</param>
    public FeedbackReviewFanOut(IConnectionMultiplexer connection, RedisKeyLayout layout, RedisWebhookBacklog backlog, WebhookOutbox outbox, AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(backlog);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(key);
        _database = connection.GetDatabase();
        _layout = layout;
        _backlog = backlog;
        _subscriptions = outbox.Subscriptions;
        _key = key;
    }

    /// <summary>Fans out the pointers waiting; returns how many it handled.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var pointers = await _database.ListRangeAsync(_layout.FeedbackReviewOutboxKey, 0, PointersPerPass - 1).WaitAsync(cancellationToken);
        if (pointers.Length == 0)
        {
            return 0;
        }

        var addressed = new List<(string ReviewId, string Address, WebhookEvent Event)>();
        foreach (var (item, pointer) in (await ReadItemsAsync(pointers, cancellationToken)).Zip(pointers))
        {
            if (item is null)
            {
                continue;
            }

            foreach (var recipient in item.Recipients)
            {
                if (!AddressNormalizer.TryNormalize(recipient.Address, out var normalized, out _))
                {
                    continue;
                }

                var webhookEvent = WebhookEvent.ForReview(item, recipient, _key.AddressHash(normalized));
                var wanting = _subscriptions.Where(subscription => subscription.Wants(webhookEvent.Type, webhookEvent.Tenant)).ToList();
                await Task.WhenAll(wanting.Select(subscription => _backlog.EnqueueAsync(
                    subscription.EndpointId, [new QueuedBody(webhookEvent.Id, webhookEvent.Time, WebhookPayload.Write(webhookEvent, subscription.IncludeAddress))]))).WaitAsync(cancellationToken);
                if (wanting.Any(subscription => subscription.IncludeAddress))
                {
                    addressed.Add(((string)pointer!, recipient.Address, webhookEvent));
                }
            }
        }

        await RedactErasedSinceReadAsync(addressed, cancellationToken);
        await _database.ScriptEvaluateAsync(RedisScripts.TrimOutbox, [_layout.FeedbackReviewOutboxKey], [pointers.Length, .. pointers]).WaitAsync(cancellationToken);
        return pointers.Length;
    }

    // As for audit events (WebhookFanOut): an erasure takes the mailbox out of the items, then redacts
    // queued bodies by hash; this queued, then reads the items again. Whichever comes second sees the
    // other's work. An item gone meanwhile (applied or dismissed, or erased whole) counts as erased:
    // it cannot be told apart, and a body without the address is the safe side.
    private async Task RedactErasedSinceReadAsync(List<(string ReviewId, string Address, WebhookEvent Event)> addressed, CancellationToken cancellationToken)
    {
        if (addressed.Count == 0)
        {
            return;
        }

        RedisValue[] ids = [.. addressed.Select(entry => (RedisValue)entry.ReviewId).Distinct()];
        var again = (await ReadItemsAsync(ids, cancellationToken)).Zip(ids).Where(pair => pair.First is not null)
            .ToDictionary(pair => (string)pair.Second!, pair => pair.First!, StringComparer.Ordinal);
        foreach (var (reviewId, address, webhookEvent) in addressed)
        {
            if (again.TryGetValue(reviewId, out var item) && item.Recipients.Any(recipient => string.Equals(recipient.Address, address, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var subscription in _subscriptions.Where(subscription => subscription.IncludeAddress && subscription.Wants(webhookEvent.Type, webhookEvent.Tenant)))
            {
                await _backlog.RedactAsync(subscription.EndpointId, webhookEvent.Id, cancellationToken);
            }
        }
    }

    // The pointed items in pointer order; null for one no longer queued or unreadable.
    private async Task<FeedbackReviewItem?[]> ReadItemsAsync(RedisValue[] ids, CancellationToken cancellationToken)
    {
        var values = await _database.HashGetAsync(_layout.FeedbackReviewItemsKey, ids).WaitAsync(cancellationToken);
        return [.. values.Select(Read)];
    }

    private static FeedbackReviewItem? Read(RedisValue value)
    {
        if (value.IsNull)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<FeedbackReviewItem>(value.ToString(), RedisFeedbackReview.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
