using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>Each configured endpoint with its subscription and delivery state: what the API lists and the console shows.</summary>
public static class WebhookEndpointStates
{
    public static async Task<List<WebhookEndpointDto>> ListAsync(
        IReadOnlyList<WebhookEndpoint> endpoints, IReadOnlyList<WebhookSubscription> subscriptions, IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(services);
        var listed = new List<WebhookEndpointDto>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            // The backlog is the store's; resolved only when there is an endpoint to ask about.
            var state = await services.GetRequiredService<IWebhookBacklog>().StateAsync(endpoint.Id, cancellationToken);
            var subscription = subscriptions.First(candidate => candidate.EndpointId == endpoint.Id);
            listed.Add(new WebhookEndpointDto(
                endpoint.Id,
                endpoint.DisplayUrl,
                subscription.Events,
                subscription.Tenants,
                subscription.IncludeAddress,
                state.Disabled,
                state.DisabledReason,
                state.LastSuccess,
                state.ConsecutiveFailures,
                state.LastError,
                state.Backlog,
                state.OldestUndelivered,
                state.DeadLetters));
        }

        return listed;
    }
}
