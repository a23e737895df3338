namespace Suppression.Webhooks;

/// <summary>
/// Queues again, for one endpoint, the events of a time range (<c>POST /api/v1/webhooks/{id}/replay</c>),
/// from the store's event log (kept <see cref="LogRetention"/>). Payloads are built anew from the audit
/// records, so an erased address stays out; ids are the originals, so receivers can deduplicate.
/// </summary>
public interface IWebhookReplay
{
    /// <summary>How long the event log keeps an event for replay.</summary>
    TimeSpan LogRetention { get; }

    /// <summary>Queues the events the endpoint wants with a time in [<paramref name="since"/>, <paramref name="before"/>); returns how many.</summary>
    Task<long> ReplayAsync(string endpointId, DateTimeOffset since, DateTimeOffset before, CancellationToken cancellationToken);
}
