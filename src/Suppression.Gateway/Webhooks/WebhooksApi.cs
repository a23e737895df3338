using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// <c>GET /api/v1/webhooks</c> (admin and compliance keys): the configured endpoints with their
/// delivery state. Never the secret, and the URL without its query (a receiver may put a token there).
/// The operator's tools below it (replay, enable, dead letters) are admin only.
/// </summary>
public static class WebhooksApi
{
    private const int DefaultDeadLetterLimit = 100;
    private const int MaxDeadLetterLimit = 1000;

    public static RouteGroupBuilder MapWebhooksApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/webhooks", ListAsync)
            .Documented(ApiContract.WebhooksTag, "listWebhooks", "Webhook endpoints and their state",
                "Each configured endpoint (never its secret): events, tenants, last success, failures, backlog, oldest undelivered, dead letters, disabled. Admin and compliance keys.");
        api.MapPost("/webhooks/{id}/replay", ReplayAsync)
            .Documented(ApiContract.WebhooksTag, "replayWebhooks", "Send a time range's events again",
                "Queues again for the endpoint every event of [from, to) still in the event log (14 days), with its original webhook-id. Admin keys only.",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        api.MapPost("/webhooks/{id}/enable", EnableAsync)
            .Documented(ApiContract.WebhooksTag, "enableWebhook", "Enable an endpoint again",
                "After its receiver answered 410 Gone: clears the mark and the failure count; its kept events flow again. Admin keys only.",
                StatusCodes.Status404NotFound);
        api.MapGet("/webhooks/{id}/dead-letters", DeadLettersAsync)
            .Documented(ApiContract.WebhooksTag, "listWebhookDeadLetters", "An endpoint's dead letters",
                "Events whose last retry failed, the first first (?limit=, default 100), without their payloads. Admin keys only.",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        api.MapPost("/webhooks/{id}/dead-letters/requeue", RequeueDeadLettersAsync)
            .Documented(ApiContract.WebhooksTag, "requeueWebhookDeadLetters", "Send the dead letters again",
                "Moves every dead letter back to the queue, due at once, attempts reset, id and body kept. Admin keys only.",
                StatusCodes.Status404NotFound);
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

    /// <summary>
    /// <c>POST /api/v1/webhooks/{id}/enable</c> (admin): sends again to an endpoint disabled by a 410;
    /// the events it kept queued go first. Enabling one that is not disabled changes nothing but its failure count.
    /// </summary>
    private static async Task<Results<Ok<WebhookEnabledResponse>, ProblemHttpResult>> EnableAsync(
        string id, HttpContext http, IReadOnlyList<WebhookEndpoint> endpoints, WebhookOperatorActions actions, CancellationToken cancellationToken)
    {
        if (UnknownEndpoint(id, endpoints) is { } unknown)
        {
            return unknown;
        }

        var wasDisabled = await actions.EnableAsync(id, ActorOf(http), cancellationToken);
        return TypedResults.Ok(new WebhookEnabledResponse(id, wasDisabled));
    }

    /// <summary>
    /// <c>GET /api/v1/webhooks/{id}/dead-letters[?limit=]</c> (admin: the operator's recovery tool;
    /// compliance keys see the count in the list): the first <c>limit</c> (1-1000, default 100) dead
    /// letters, first dead-lettered first, without their bodies, and how many there are in all.
    /// </summary>
    private static async Task<Results<Ok<WebhookDeadLettersResponse>, ProblemHttpResult>> DeadLettersAsync(
        string id, string? limit, HttpContext http, IReadOnlyList<WebhookEndpoint> endpoints, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (AdminOnly(http) is { } forbidden)
        {
            return forbidden;
        }

        if (UnknownEndpoint(id, endpoints) is { } unknown)
        {
            return unknown;
        }

        var max = DefaultDeadLetterLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxDeadLetterLimit))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid limit",
                detail: string.Create(CultureInfo.InvariantCulture, $"limit must be a whole number from 1 to {MaxDeadLetterLimit}."));
        }

        var backlog = services.GetRequiredService<IWebhookBacklog>();
        var letters = await backlog.DeadLettersAsync(id, max, cancellationToken);
        var total = (await backlog.StateAsync(id, cancellationToken)).DeadLetters;
        return TypedResults.Ok(new WebhookDeadLettersResponse(
            id, total, [.. letters.Select(letter => new WebhookDeadLetterDto(letter.EventId, letter.Type, letter.Time, letter.Failure, letter.Attempts))]));
    }

    /// <summary>
    /// <c>POST /api/v1/webhooks/{id}/dead-letters/requeue</c> (admin): every dead letter back to the
    /// queue, due at once, attempts reset, same <c>webhook-id</c>: the recovery after an outage longer
    /// than the retry schedule.
    /// </summary>
    private static async Task<Results<Ok<WebhookRequeueResponse>, ProblemHttpResult>> RequeueDeadLettersAsync(
        string id, HttpContext http, IReadOnlyList<WebhookEndpoint> endpoints, WebhookOperatorActions actions, CancellationToken cancellationToken)
    {
        if (UnknownEndpoint(id, endpoints) is { } unknown)
        {
            return unknown;
        }

        var requeued = await actions.RequeueDeadLettersAsync(id, ActorOf(http), cancellationToken);
        return TypedResults.Ok(new WebhookRequeueResponse(id, requeued));
    }

    private static ProblemHttpResult? UnknownEndpoint(string id, IReadOnlyList<WebhookEndpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Id == id) ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook endpoint",
            detail: $"'{id}' is not a configured endpoint (Suppression:Webhooks:Endpoints); GET /api/v1/webhooks lists them.");

    // The key filter lets compliance keys read; this read is the admin's alone.
    private static ProblemHttpResult? AdminOnly(HttpContext http) =>
        http.Items[ApiKeyFilter.RoleItem] as string == ApiKeys.AdminRole ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "The dead-letter list is for the operators who recover deliveries: use a key from Suppression:Admin:ApiKeys. GET /api/v1/webhooks shows how many there are.");

    private static string ActorOf(HttpContext http) => http.Items[ApiKeyFilter.ActorItem] as string ?? "api";

    private static async Task<Ok<WebhooksResponse>> ListAsync(
        IReadOnlyList<WebhookEndpoint> endpoints, IReadOnlyList<WebhookSubscription> subscriptions, IServiceProvider services, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WebhooksResponse(await WebhookEndpointStates.ListAsync(endpoints, subscriptions, services, cancellationToken)));
}

/// <param name="LogRetentionDays">How far back the event log reaches: events older than that are not replayed.</param>
public sealed record WebhookReplayResponse(string Endpoint, DateTimeOffset From, DateTimeOffset To, long Queued, double LogRetentionDays);

public sealed record WebhookEnabledResponse(string Endpoint, bool WasDisabled);

/// <param name="Total">How many dead letters the endpoint has; more than listed when over the limit.</param>
public sealed record WebhookDeadLettersResponse(string Endpoint, long Total, IReadOnlyList<WebhookDeadLetterDto> DeadLetters);

/// <param name="Time">When the change happened; <paramref name="Failure"/> is the last attempt's.</param>
public sealed record WebhookDeadLetterDto(string Id, string Type, DateTimeOffset Time, string Failure, int Attempts);

public sealed record WebhookRequeueResponse(string Endpoint, long Requeued);

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
