using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// <c>GET /api/v1/storage</c>: the format the suppression list is written in; <c>POST
/// /api/v1/storage/upgrade</c> (admin): moves it to the compact format (docs/operations.md, upgrades).
/// </summary>
public static class StorageApi
{
    // One pass at a time per instance: a second would only race the first for the same fields.
    private static readonly SemaphoreSlim Running = new(1, 1);

    public static RouteGroupBuilder MapStorageApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/storage", GetAsync);
        api.MapPost("/storage/upgrade", UpgradeAsync);
        return api;
    }

    private static async Task<Ok<StorageResponse>> GetAsync(IConnectionMultiplexer connection, RedisKeyLayout layout) =>
        TypedResults.Ok(new StorageResponse(Name(await StorageFormatMarker.ReadAsync(connection.GetDatabase(), layout))));

    private static async Task<Results<Ok<StorageUpgradeResponse>, ProblemHttpResult>> UpgradeAsync(
        RedisStorageUpgrade upgrade, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!await Running.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Upgrade running", detail: "An upgrade is running on this instance; wait for its answer.");
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var result = await upgrade.RunAsync(cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            loggers.CreateLogger("Suppression.Api").LogInformation(
                "Storage upgrade: {Mailboxes} mailboxes, {Converted} converted, {AlreadyCompact} already compact, {KeptAsText} kept as text in {Seconds:0.0} s",
                result.Mailboxes, result.Converted, result.AlreadyCompact, result.KeptAsText, seconds);
            return TypedResults.Ok(new StorageUpgradeResponse(Name(result.Format), result.Mailboxes, result.Converted, result.AlreadyCompact, result.KeptAsText, Math.Round(seconds, 1)));
        }
        finally
        {
            Running.Release();
        }
    }

    private static string Name(StorageFormat format) => format == StorageFormat.Compact ? "compact" : "text";
}

public sealed record StorageResponse(string Format);

public sealed record StorageUpgradeResponse(string Format, long Mailboxes, long Converted, long AlreadyCompact, long KeptAsText, double Seconds);
