using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// The list in bulk and erasure: <c>GET /api/v1/suppressions/export</c>, <c>POST
/// /api/v1/suppressions/import</c> and <c>POST /api/v1/erasures</c>.
/// </summary>
public static partial class SuppressionListApi
{
    public const string ExportCsvHeader = "address,address_hash,scope,reason,source,created_at,batch";

    private const int FlushEvery = 1000;

    public static RouteGroupBuilder MapSuppressionListApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/suppressions/export", ExportAsync);
        api.MapPost("/erasures", EraseAsync);
        return api;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ISuppressionList list, string? format, CancellationToken cancellationToken)
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

        var response = http.Response;
        response.ContentType = csv.Value ? "text/csv; charset=utf-8" : "application/x-ndjson";
        response.Headers.ContentDisposition = $"attachment; filename=\"suppressions-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{(csv.Value ? "csv" : "ndjson")}\"";
        var body = response.BodyWriter.AsStream();
        if (csv.Value)
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(ExportCsvHeader + "\r\n"), cancellationToken);
        }

        var count = 0;
        await using var json = new Utf8JsonWriter(body, AuditEntryFormats.JsonOptions);
        await foreach (var listed in list.ExportAsync(cancellationToken))
        {
            var created = listed.Entry.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            if (csv.Value)
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(Csv.Row(
                    listed.Address, listed.AddressHash, listed.Entry.Scope.ToString(), listed.Entry.Reason.Name(), listed.Entry.Source.Name(), created, listed.Batch)), cancellationToken);
            }
            else
            {
                json.WriteStartObject();
                json.WriteString("address", listed.Address);
                json.WriteString("addressHash", listed.AddressHash);
                json.WriteString("scope", listed.Entry.Scope.ToString());
                json.WriteString("reason", listed.Entry.Reason.Name());
                json.WriteString("source", listed.Entry.Source.Name());
                json.WriteString("createdAt", created);
                json.WriteString("batch", listed.Batch);
                json.WriteEndObject();
                await json.FlushAsync(cancellationToken);
                json.Reset();
                body.WriteByte((byte)'\n');
            }

            if (++count % FlushEvery == 0)
            {
                await body.FlushAsync(cancellationToken);
            }
        }

        await body.FlushAsync(cancellationToken);
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
        loggers.CreateLogger("Suppression.Api").LogWarning("Erasure: address hash {AddressHash}, {Records} audit record(s) blanked", result.AddressHash, result.Records);
        return TypedResults.Ok(new ErasureResponse(result.AddressHash, result.Records, result.Entries));
    }
}

public sealed record ErasureRequest(string? Address, string? Evidence);

public sealed record ErasureResponse(string AddressHash, long Records, int Entries);
