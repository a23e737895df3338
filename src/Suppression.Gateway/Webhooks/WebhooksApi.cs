using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// <c>GET /api/v1/webhooks</c> (admin and compliance keys): the configured endpoints with their
/// delivery state. Never the secret, and the URL without its query (a receiver may put a token there).
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/webhooks", ListAsync);
        return api;
    }

    private static async Task<Ok<WebhooksResponse>> ListAsync(
        IReadOnlyList<WebhookEndpoint> endpoints, IReadOnlyList<WebhookSubscription> subscriptions, IServiceProvider services, CancellationToken cancellationToken)
    {
        var listed = new List<WebhookEndpointDto>();
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

        return TypedResults.Ok(new WebhooksResponse(listed));
    }
}

public sealed record WebhooksResponse(IReadOnlyList<WebhookEndpointDto> Endpoints);

public sealed record WebhookEndpointDto(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> Tenants,
    bool IncludeAddress,
    bool Disabled,
    string? DisabledReason,
    DateTimeOffset? LastSuccess,
    int ConsecutiveFailures,
    string? LastError,
    long Backlog,
    DateTimeOffset? OldestUndelivered,
    long DeadLetters);
