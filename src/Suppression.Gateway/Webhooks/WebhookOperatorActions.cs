using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// The two writes an operator makes to an endpoint's delivery, the same from the API and the console
/// (admin only in both), each logged with who made it.
/// </summary>
public sealed class WebhookOperatorActions(IServiceProvider services, ILogger<WebhookOperatorActions> logger)
{
    /// <summary>Enables the endpoint again after a 410; true when it was disabled.</summary>
    public async Task<bool> EnableAsync(string endpointId, string actor, CancellationToken cancellationToken)
    {
        var wasDisabled = await Backlog.EnableAsync(endpointId, cancellationToken).ConfigureAwait(false);
        logger.WebhookEndpointEnabled(endpointId, actor, wasDisabled);
        return wasDisabled;
    }

    /// <summary>Moves the endpoint's dead letters back to its queue; returns how many.</summary>
    public async Task<long> RequeueDeadLettersAsync(string endpointId, string actor, CancellationToken cancellationToken)
    {
        var requeued = await Backlog.RequeueDeadLettersAsync(endpointId, cancellationToken).ConfigureAwait(false);
        logger.WebhookDeadLettersRequeued(endpointId, requeued, actor);
        return requeued;
    }

    // The backlog is the store's; resolved only when there is an endpoint to act on.
    private IWebhookBacklog Backlog => services.GetRequiredService<IWebhookBacklog>();
}
