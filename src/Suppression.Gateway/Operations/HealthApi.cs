using Suppression.Gateway.Apis;
using Suppression.Smtp.Relay;
using Suppression.Suppressions;

namespace Suppression.Gateway.Operations;

/// <summary>/healthz: the process answers. /readyz: mail can flow (the suppression list and the next hop are reachable).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("alive")))
            .Documented(ApiContract.HealthTag, "getLiveness", "Liveness", "The process answers. No key.");
        app.MapGet("/readyz", ReadyAsync)
            .Documented(ApiContract.HealthTag, "getReadiness", "Readiness",
                "Redis and the upstream both answer: 200, else 503 with which one does not. No key.")
            .Produces<Readiness>()
            .Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ReadyAsync(ISuppressionStore store, IMessageRelay relay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var redis = store.IsAvailableAsync(timeout.Token);
        var upstream = relay.IsReachableAsync(timeout.Token);
        var ready = await redis && await upstream;
        var body = new Readiness(ready ? "ready" : "not ready", await redis ? "ok" : "unreachable", await upstream ? "ok" : "unreachable");
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthStatus(string Status);

/// <param name="Status"><c>ready</c> or <c>not ready</c>.</param>
/// <param name="Redis"><c>ok</c> or <c>unreachable</c>.</param>
/// <param name="Upstream"><c>ok</c> or <c>unreachable</c>.</param>
public sealed record Readiness(string Status, string Redis, string Upstream);
