using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Gateway.Apis;
using Suppression.Redis.Suppressions;

namespace Suppression.Gateway.Operations;

/// <summary>
/// <c>GET /api/v1/storage</c>: the format the suppression list is written in; <c>POST
/// /api/v1/storage/upgrade?format=compact|hashed</c> (admin): moves it to a later format
/// (docs/operations.md, upgrades).
/// </summary>
public static class StorageApi
{
    // One pass at a time per instance: a second would only race the first for the same fields.
    private static readonly SemaphoreSlim Running = new(1, 1);

    public static RouteGroupBuilder MapStorageApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/storage", GetAsync)
            .Documented(ApiContract.OperationsTag, "getStorage", "The store's data format",
                "The format the store holds and the one this gateway writes, and whether an upgrade is due. Admin and compliance keys.");
        api.MapPost("/storage/upgrade", UpgradeAsync)
            .Documented(ApiContract.OperationsTag, "upgradeStorage", "Upgrade the store's data format",
                "Rewrites the store in the later format (?to=), resumable; 409 while another upgrade runs or when the store is not older. Admin keys only.",
                StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<StorageResponse>> GetAsync(RedisStorageUpgrade upgrade, CancellationToken cancellationToken) =>
        TypedResults.Ok(new StorageResponse(Name(await upgrade.ReadFormatAsync(cancellationToken))));

    private static async Task<Results<Ok<StorageUpgradeResponse>, ProblemHttpResult>> UpgradeAsync(
        string? format, RedisStorageUpgrade upgrade, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (Parse(format) is not { } target)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown format",
                detail: $"format must be compact (the default) or hashed, not '{format}'.");
        }

        if (!await Running.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Upgrade running", detail: "An upgrade is running on this instance; wait for its answer.");
        }

        try
        {
            var started = time.GetTimestamp();
            var result = await upgrade.RunAsync(target, cancellationToken);
            var seconds = time.GetElapsedTime(started).TotalSeconds;
            loggers.CreateLogger(typeof(StorageApi)).StorageUpgraded(
                Name(result.Format), result.Mailboxes, result.Converted, result.AlreadyInFormat, result.KeptAsText, result.Unreadable, seconds);
            return TypedResults.Ok(new StorageUpgradeResponse(
                Name(result.Format), result.Mailboxes, result.Converted, result.AlreadyInFormat, result.KeptAsText, result.Unreadable, Math.Round(seconds, 1)));
        }
        catch (StorageDowngradeException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Format not later than the store's", detail: exception.Message);
        }
        finally
        {
            Running.Release();
        }
    }

    private static StorageFormat? Parse(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "compact" => StorageFormat.Compact,
        "hashed" => StorageFormat.Hashed,
        _ => null,
    };

    private static string Name(StorageFormat format) => format.ToString().ToLowerInvariant();
}

public sealed record StorageResponse(string Format);

public sealed record StorageUpgradeResponse(string Format, long Mailboxes, long Converted, long AlreadyInFormat, long KeptAsText, long Unreadable, double Seconds);
