namespace Suppression.Webhooks;

/// <summary>
/// The endpoints' backlogs of events to deliver (docs/design.md, Webhooks). The store fills them from
/// the audit trail's outbox, at least once; the delivery service empties them. One instance at a
/// time delivers an endpoint's backlog: the holder of its lease.
/// </summary>
public interface IWebhookBacklog
{
    /// <summary>Takes or renews the endpoint's lease for <paramref name="instance"/>; false when another instance holds it.</summary>
    Task<bool> TryHoldAsync(string endpointId, string instance, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Events due at <paramref name="now"/>, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<QueuedWebhook>> DueAsync(string endpointId, DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>The receiver took them (2xx): they leave the queue, and the endpoint's failure count is reset.</summary>
    Task DeliveredAsync(string endpointId, IReadOnlyCollection<string> eventIds, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// The endpoint answers again after an outage: every event waiting for a later attempt is due at
    /// <paramref name="now"/>, the oldest first (attempt counts stay). Returns how many were moved.
    /// </summary>
    Task<long> ResumeAsync(string endpointId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>It failed; try again at <paramref name="due"/>.</summary>
    Task RetryAsync(string endpointId, string eventId, DateTimeOffset due, string failure, CancellationToken cancellationToken);

    /// <summary>The last attempt failed: it moves to the endpoint's dead-letter list.</summary>
    Task DeadLetterAsync(string endpointId, string eventId, string failure, CancellationToken cancellationToken);

    /// <summary>The receiver answered 410 Gone: nothing more is sent to it until an operator enables it again.</summary>
    Task DisableAsync(string endpointId, string reason, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>What the API and console show of an endpoint.</summary>
    Task<WebhookEndpointState> StateAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>
    /// An operator enables the endpoint again after a 410: its disabled mark and consecutive failures
    /// are cleared, and the events it kept queued flow again. True when it was disabled.
    /// </summary>
    Task<bool> EnableAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>The endpoint's dead letters, the first dead-lettered first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<DeadWebhook>> DeadLettersAsync(string endpointId, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Moves every dead letter back to the queue, due at once with its attempts reset (an outage
    /// longer than the retry schedule, over). Its id and body are kept; returns how many moved.
    /// </summary>
    Task<long> RequeueDeadLettersAsync(string endpointId, CancellationToken cancellationToken);
}

/// <summary>One event waiting in an endpoint's queue: its payload is final (built for that endpoint).</summary>
/// <param name="EventId">The <c>webhook-id</c>: the same on every attempt and replay.</param>
/// <param name="Time">When the change happened (the audit record's time).</param>
/// <param name="Body">The JSON payload, exactly the bytes to sign and send.</param>
/// <param name="Attempts">Attempts made so far.</param>
public sealed record QueuedWebhook(string EventId, DateTimeOffset Time, string Type, string Body, int Attempts);

/// <summary>What an endpoint wants: its events (empty: all but <c>delivery.blocked</c>), its tenants (empty: all), and whether payloads carry the address.</summary>
public sealed record WebhookSubscription(string EndpointId, IReadOnlyList<string> Events, IReadOnlyList<string> Tenants, bool IncludeAddress);

/// <summary>An endpoint's delivery state.</summary>
public sealed record WebhookEndpointState(
    string EndpointId,
    bool Disabled,
    string? DisabledReason,
    DateTimeOffset? LastSuccess,
    int ConsecutiveFailures,
    string? LastError,
    long Backlog,
    DateTimeOffset? OldestUndelivered,
    long DeadLetters);
