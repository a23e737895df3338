using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Smtp.Logins;
using Suppression.Smtp.Server;

namespace Suppression.Gateway.Operations;

/// <summary>
/// <c>GET /api/v1/smtp/lockouts[?client=]</c>: the failed SMTP logins this instance remembers and
/// the lockouts they started (never a password); <c>DELETE /api/v1/smtp/lockouts?client=[&amp;user=]</c>
/// (admin): forgets them, so a sender whose password was fixed gets in at once. Per instance: the
/// counts live in each process's memory.
/// </summary>
public static class SmtpLockoutsApi
{
    private const int MaxListed = 1000;

    public static RouteGroupBuilder MapSmtpLockoutsApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/smtp/lockouts", List)
            .Documented(ApiContract.OperationsTag, "listSmtpLockouts", "SMTP login lockouts",
                "Clients locked out of SMTP AUTH after repeated failures (or only ?client=), with when each lockout ends. Admin and compliance keys.",
                StatusCodes.Status400BadRequest);
        api.MapDelete("/smtp/lockouts", Clear)
            .Documented(ApiContract.OperationsTag, "clearSmtpLockouts", "Lift SMTP login lockouts",
                "Lifts the lockout of ?client=, or every lockout. Admin keys only.", StatusCodes.Status400BadRequest);
        return api;
    }

    private static Results<Ok<SmtpLockoutsResponse>, ProblemHttpResult> List(string? client, LoginFailures failures)
    {
        IPAddress? network = null;
        if (client is not null && !ClientNetwork.TryParse(client, out network))
        {
            return BadClient(client);
        }

        var lockouts = failures.List(network, MaxListed + 1);
        return TypedResults.Ok(new SmtpLockoutsResponse([.. lockouts.Take(MaxListed)], lockouts.Count > MaxListed));
    }

    private static Results<Ok<SmtpLockoutsCleared>, ProblemHttpResult> Clear(
        string? client, string? user, LoginFailures failures, HttpContext http, ILoggerFactory loggers)
    {
        if (!ClientNetwork.TryParse(client, out var network))
        {
            return BadClient(client);
        }

        var cleared = failures.Clear(network, string.IsNullOrEmpty(user) ? null : user);
        loggers.CreateLogger(typeof(SmtpLockoutsApi)).SmtpLockoutsCleared(
            ClientNetwork.Format(network), string.IsNullOrEmpty(user) ? "every name" : "one name", http.Items[ApiKeyFilter.ActorItem], cleared);
        return TypedResults.Ok(new SmtpLockoutsCleared(ClientNetwork.Format(network), string.IsNullOrEmpty(user) ? null : user, cleared));
    }

    private static ProblemHttpResult BadClient(string? client) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid client",
            detail: client is null
                ? "client is required: the client's IP address (an IPv6 address stands for its /64), e.g. ?client=192.0.2.7."
                : $"client must be an IP address or an IPv6 network as listed (2001:db8:1:2::/64), not '{client}'.");
}

public sealed record SmtpLockoutsResponse(IReadOnlyList<LoginLockout> Lockouts, bool Truncated);

public sealed record SmtpLockoutsCleared(string Client, string? User, int Cleared);
