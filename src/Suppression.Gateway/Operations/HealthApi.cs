using Suppression.Smtp.Relay;
using Suppression.Suppressions;

namespace Suppression.Gateway.Operations;

/// <summary>/healthz: the process answers. /readyz: mail can flow (the suppression list and the next hop are reachable).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(ISuppressionStore store, IMessageRelay relay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var redis = store.IsAvailableAsync(timeout.Token);
        var upstream = relay.IsReachableAsync(timeout.Token);
        var ready = await redis && await upstream;
        var body = new { status = ready ? "ready" : "not ready", redis = await redis ? "ok" : "unreachable", upstream = await upstream ? "ok" : "unreachable" };
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
