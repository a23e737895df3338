using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Gateway.Apis;
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
        api.MapPost("/webhooks/{id}/replay", ReplayAsync);
        return api;
    }

    /// <summary>
    /// <c>POST /api/v1/webhooks/{id}/replay?from=[&amp;to=]</c> (admin: a write): queues again, for that
    /// endpoint, the events of <c>[from, to)</c> still in the store's event log, with their original ids
    /// and payloads built anew (an erased address stays out). <c>to</c> defaults to now.
    /// </summary>
    private static async Task<Results<Ok<WebhookReplayResponse>, ProblemHttpResult>> ReplayAsync(
        string id, string? from, string? to, IReadOnlyList<WebhookEndpoint> endpoints, IServiceProvider services, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!endpoints.Any(endpoint => endpoint.Id == id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook endpoint",
                detail: $"'{id}' is not a configured endpoint (Suppression:Webhooks:Endpoints); GET /api/v1/webhooks lists them.");
        }

        if (string.IsNullOrWhiteSpace(from) || !QueryTime.TryParse(from, endOfDay: false, out var since) || !QueryTime.TryParse(to, endOfDay: true, out var until))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid from or to",
                detail: "from is required. " + QueryTime.Expected);
        }

        var before = until ?? time.GetUtcNow();
        if (since >= before)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid from or to", detail: "from must be before to.");
        }

        var replay = services.GetRequiredService<IWebhookReplay>();
        var queued = await replay.ReplayAsync(id, since!.Value, before, cancellationToken);
        return TypedResults.Ok(new WebhookReplayResponse(id, since.Value, before, queued, replay.LogRetention.TotalDays));
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

/// <param name="LogRetentionDays">How far back the event log reaches: events older than that are not replayed.</param>
public sealed record WebhookReplayResponse(string Endpoint, DateTimeOffset From, DateTimeOffset To, long Queued, double LogRetentionDays);

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
