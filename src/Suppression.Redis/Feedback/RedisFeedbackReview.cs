using System.Text.Json;
using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;
using Suppression.Redis.Webhooks;

namespace Suppression.Redis.Feedback;

public sealed class RedisFeedbackReview : IFeedbackReview
{
    private const int MaxQueued = 10_000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditedChangeWriter _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly WebhookOutbox? _webhooks;

    /// <param name="retention">How long an item waits for a person before it is dropped unapplied.</param>
    /// <param name="webhooks">When webhooks are configured: an item some endpoint wants a <c>feedback.review</c> event of gets an outbox pointer with it.</param>
    public RedisFeedbackReview(
        IConnectionMultiplexer connection, RedisKeyLayout layout, AuditedChangeWriter audit, TimeProvider time, TimeSpan retention, WebhookOutbox? webhooks = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        _database = connection.GetDatabase();
        _layout = layout;
        _audit = audit;
        _time = time;
        _retention = retention;
        _webhooks = webhooks;
    }

    public Task<bool> EnqueueAsync(FeedbackReviewItem item, string source, int maxPerSource, TimeSpan window, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(EnqueueUntranslatedAsync(item, source, maxPerSource, window, cancellationToken));

    private async Task<bool> EnqueueUntranslatedAsync(FeedbackReviewItem item, string source, int maxPerSource, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);

        // Counted first, as kept unreadable reports are: one source cannot fill the queue for everyone.
        var queued = (long)await _database.ScriptEvaluateAsync(
            RedisScripts.CountSoftBounce, [_layout.FeedbackReviewCounterKey(source)], [(long)window.TotalMilliseconds]).WaitAsync(cancellationToken);
        if (queued > maxPerSource)
        {
            return false;
        }

        // One script: the item and its webhook pointer are written together or not at all.
        RedisKey[] keys = _webhooks?.WantsReview(item) == true
            ? [_layout.FeedbackReviewItemsKey, _layout.FeedbackReviewOrderKey, _layout.FeedbackReviewOutboxKey]
            : [_layout.FeedbackReviewItemsKey, _layout.FeedbackReviewOrderKey];
        await _database.ScriptEvaluateAsync(
            RedisScripts.HoldReviewItem, keys, [item.Id, JsonSerializer.Serialize(item, Json), item.Received.ToUnixTimeMilliseconds()]).WaitAsync(cancellationToken);
        await TrimAsync(cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<FeedbackReviewItem>> ListAsync(int limit, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(ListUntranslatedAsync(limit, cancellationToken));

    private async Task<IReadOnlyList<FeedbackReviewItem>> ListUntranslatedAsync(int limit, CancellationToken cancellationToken)
    {
        await TrimAsync(cancellationToken);
        var ids = await _database.SortedSetRangeByRankAsync(_layout.FeedbackReviewOrderKey, 0, limit - 1, Order.Descending).WaitAsync(cancellationToken);
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await _database.HashGetAsync(_layout.FeedbackReviewItemsKey, [.. ids]).WaitAsync(cancellationToken);
        return [.. values.Where(value => value.HasValue).Select(value => JsonSerializer.Deserialize<FeedbackReviewItem>(value.ToString(), Json)!)];
    }

    public Task<FeedbackReviewItem?> GetAsync(string id, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(GetUntranslatedAsync(id, cancellationToken));

    private async Task<FeedbackReviewItem?> GetUntranslatedAsync(string id, CancellationToken cancellationToken)
    {
        var value = await _database.HashGetAsync(_layout.FeedbackReviewItemsKey, id).WaitAsync(cancellationToken);
        if (!value.HasValue)
        {
            return null;
        }

        var item = JsonSerializer.Deserialize<FeedbackReviewItem>(value.ToString(), Json)!;
        return item.Received + _retention < _time.GetUtcNow() ? null : item;
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(RemoveUntranslatedAsync(id, cancellationToken));

    private async Task<bool> RemoveUntranslatedAsync(string id, CancellationToken cancellationToken)
    {
        var transaction = _database.CreateTransaction();
        var removed = transaction.HashDeleteAsync(_layout.FeedbackReviewItemsKey, id);
        _ = transaction.SortedSetRemoveAsync(_layout.FeedbackReviewOrderKey, id);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        return await removed;
    }

    public async Task<bool> DismissAsync(string id, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (await GetAsync(id, cancellationToken) is null)
        {
            return false;
        }

        // Each record goes to its mailbox's chain of changes (kept until erased, blanked by erasure like
        // any other), changing nothing there. Records first: two people dismissing at once both leave a
        // record, which is true; a dismissal without one would not be.
        await Task.WhenAll(records.Select(record => _audit.AppendAsync(
            _layout.Locate(record.Address ?? throw new ArgumentException("A dismissal's record names the recipient's address.", nameof(records))),
            blocked: false,
            _ => (record, true),
            cancellationToken)));
        return await RemoveAsync(id, cancellationToken);
    }

    // Drops what is past the retention and what is beyond the newest MaxQueued.
    private async Task TrimAsync(CancellationToken cancellationToken)
    {
        var cutoff = (_time.GetUtcNow() - _retention).ToUnixTimeMilliseconds();
        var expired = await _database.SortedSetRangeByScoreAsync(_layout.FeedbackReviewOrderKey, double.NegativeInfinity, cutoff, Exclude.Stop).WaitAsync(cancellationToken);
        var overflow = await _database.SortedSetRangeByRankAsync(_layout.FeedbackReviewOrderKey, 0, -MaxQueued - 1).WaitAsync(cancellationToken);
        RedisValue[] dropped = [.. expired.Concat(overflow).Distinct()];
        if (dropped.Length == 0)
        {
            return;
        }

        var transaction = _database.CreateTransaction();
        _ = transaction.HashDeleteAsync(_layout.FeedbackReviewItemsKey, dropped);
        _ = transaction.SortedSetRemoveAsync(_layout.FeedbackReviewOrderKey, dropped);
        await transaction.ExecuteAsync().WaitAsync(cancellationToken);
    }
}
