using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Suppressions;

namespace Suppression.Gateway.Suppressions;

/// <summary>
/// The list in bulk and erasure: <c>GET /api/v1/suppressions/export</c>, <c>POST
/// /api/v1/suppressions/import</c> and <c>POST /api/v1/erasures</c>.
/// </summary>
public static partial class SuppressionListApi
{
    public static RouteGroupBuilder MapSuppressionListApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/suppressions/export", ExportAsync);
        api.MapPost("/suppressions/import", SuppressionImport.ImportAsync).AdmitTenantKeysToTheirScope();
        api.MapPost("/erasures", EraseAsync);
        return api;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ISuppressionList list, TimeProvider time, string? format, CancellationToken cancellationToken)
    {
        var csv = (format ?? "csv") switch
        {
            "csv" => true,
            "ndjson" => false,
            _ => (bool?)null,
        };
        if (csv is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid format", detail: "Use csv or ndjson.");
        }

        await ExportStreams.WriteSuppressionsAsync(http.Response, list.ExportAsync(cancellationToken), csv.Value, time, cancellationToken);
        return Results.Empty;
    }

    private static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> EraseAsync(
        ErasureRequest request, HttpContext http, IErasure erasure, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!AddressNormalizer.TryNormalize(request.Address, out var address, out var error))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid address", detail: error);
        }

        var result = await erasure.EraseAsync(address, ApiAudit.Record(http, time.GetUtcNow(), AuditEventType.Erased) with { Evidence = request.Evidence }, cancellationToken);

        // The log names the hash only: the point of the request is that the address goes.
        loggers.CreateLogger(typeof(SuppressionListApi)).AddressErased(result.AddressHash, result.Records);
        return TypedResults.Ok(new ErasureResponse(result.AddressHash, result.Records, result.Entries));
    }
}

public sealed record ErasureRequest(string? Address, string? Evidence);

public sealed record ErasureResponse(string AddressHash, long Records, int Entries);
