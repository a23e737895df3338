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
    private const string AdminRoles = "Admin keys only.";
    private const string ReadRoles = "Admin and compliance keys.";

    public static RouteGroupBuilder MapSuppressionListApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/suppressions/export", ExportAsync)
            .Documented(ApiContract.ListTag, "exportSuppressions", "Export the whole list",
                "Every entry, streamed as CSV (?format=csv, the default) or NDJSON (?format=ndjson), in the columns the import reads back. " + ReadRoles,
                StatusCodes.Status400BadRequest)
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson");
        api.MapPost("/suppressions/import", SuppressionImport.ImportAsync)
            .Documented(ApiContract.ListTag, "importSuppressions", "Import a file of suppressions",
                "A CSV file (text/csv) of a recognised format, streamed: the gateway's own export, ESP and marketing-platform exports "
                + "(Mailchimp, HubSpot, Brevo, Klaviyo, SendGrid, ...), or a plain address list (one column, or no header). Good rows are "
                + "imported and bad ones named by line, all in one audited batch. ?scope= is the scope of rows that do not give one "
                + "(default global); ?reason= the reason of a file whose rows give none (default manual, which needs ?evidence=); "
                + "?evidence= goes into the batch's audit record. " + AdminRoles,
                StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .Accepts<string>("text/csv")
            .Produces<ImportResponse>()
            .AdmitTenantKeysToTheirScope();
        api.MapPost("/erasures", EraseAsync)
            .Documented(ApiContract.ListTag, "eraseAddress", "Erase a person's data",
                "Removes the address from the list and blanks it in every audit record (the chain still verifies), keeping its keyed hash. "
                + AdminRoles, StatusCodes.Status400BadRequest);
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

public sealed record ErasureRequest(string? Address = null, string? Evidence = null);

public sealed record ErasureResponse(string AddressHash, long Records, int Entries);
