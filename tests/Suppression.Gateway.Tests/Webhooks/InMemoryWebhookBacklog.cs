using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>The backlog seam in memory, for one endpoint's delivery: what was queued, and what the delivery recorded.</summary>
public sealed class InMemoryWebhookBacklog : IWebhookBacklog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (QueuedWebhook Webhook, DateTimeOffset Due)> _queue = new(StringComparer.Ordinal);

    public string? LeaseHolder { get; set; }

    public bool Disabled { get; private set; }

    public List<string> Delivered { get; } = [];

    public List<(string EventId, DateTimeOffset Due, string Failure)> Retries { get; } = [];

    public List<(string EventId, string Failure)> DeadLetters { get; } = [];

    public void Add(QueuedWebhook webhook, DateTimeOffset due)
    {
        lock (_lock)
        {
            _queue[webhook.EventId] = (webhook, due);
        }
    }

    public Task<bool> TryHoldAsync(string endpointId, string instance, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            LeaseHolder ??= instance;
            return Task.FromResult(LeaseHolder == instance);
        }
    }

    public Task<IReadOnlyList<QueuedWebhook>> DueAsync(string endpointId, DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<QueuedWebhook> due = [.. _queue.Values.Where(entry => entry.Due <= now).OrderBy(entry => entry.Webhook.Time).Take(max).Select(entry => entry.Webhook)];
            return Task.FromResult(due);
        }
    }

    public int ConsecutiveFailures { get; private set; }

    public Task DeliveredAsync(string endpointId, IReadOnlyCollection<string> eventIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var eventId in eventIds)
            {
                _queue.Remove(eventId);
                Delivered.Add(eventId);
            }

            ConsecutiveFailures = 0;
        }

        return Task.CompletedTask;
    }

    public Task<long> ResumeAsync(string endpointId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var deferred = _queue.Where(entry => entry.Value.Due > now).Select(entry => entry.Key).ToList();
            foreach (var eventId in deferred)
            {
                _queue[eventId] = (_queue[eventId].Webhook, now);
            }

            return Task.FromResult((long)deferred.Count);
        }
    }

    /// <summary>Events not yet due at <paramref name="now"/>.</summary>
    public int DeferredAt(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _queue.Values.Count(entry => entry.Due > now);
        }
    }

    public Task RetryAsync(string endpointId, string eventId, DateTimeOffset due, string failure, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var webhook = _queue[eventId].Webhook;
            _queue[eventId] = (webhook with { Attempts = webhook.Attempts + 1 }, due);
            Retries.Add((eventId, due, failure));
            ConsecutiveFailures++;
        }

        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(string endpointId, string eventId, string failure, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _queue.Remove(eventId);
            DeadLetters.Add((eventId, failure));
            ConsecutiveFailures++;
        }

        return Task.CompletedTask;
    }

    public Task DisableAsync(string endpointId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Disabled = true;
        return Task.CompletedTask;
    }

    public Task<WebhookEndpointState> StateAsync(string endpointId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new WebhookEndpointState(
                endpointId, Disabled, null, null, ConsecutiveFailures, null, _queue.Count, _queue.Count == 0 ? null : _queue.Values.Min(entry => entry.Webhook.Time), DeadLetters.Count));
        }
    }

    public Task<bool> EnableAsync(string endpointId, CancellationToken cancellationToken)
    {
        var wasDisabled = Disabled;
        Disabled = false;
        return Task.FromResult(wasDisabled);
    }

    public Task<IReadOnlyList<DeadWebhook>> DeadLettersAsync(string endpointId, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<DeadWebhook> dead = [.. DeadLetters.Take(max).Select(letter => new DeadWebhook(letter.EventId, "suppression.created", DateTimeOffset.UnixEpoch, letter.Failure, 0))];
            return Task.FromResult(dead);
        }
    }

    public Task<long> RequeueDeadLettersAsync(string endpointId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The delivery tests do not requeue; the store's tests do.");
}
