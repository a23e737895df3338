using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Apis;

namespace Suppression.Gateway.Audit;

/// <summary>
/// /api/v1/audit: search and export the audit trail (JSON pages, or streamed NDJSON and CSV) and
/// verify its hash chains. Read-only, so compliance keys may use all of it.
/// </summary>
public static class AuditApi
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapAuditApiV1(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", SearchAsync)
            .Documented(ApiContract.AuditTag, "searchAudit", "Search the audit trail",
                "Records by address, type (repeatable or comma-separated) and time range, newest first: JSON pages (?format=json, the default; "
                + "?limit= and ?after=<next>) or the whole result streamed as NDJSON or CSV. Admin and compliance keys.",
                StatusCodes.Status400BadRequest)
            .Produces<AuditPageDocument>()
            .AlsoStreams("application/x-ndjson", "text/csv");
        api.MapGet("/audit/verify", VerifyAsync)
            .Documented(ApiContract.AuditTag, "verifyAudit", "Verify the audit trail",
                "Checks every chain's hashes and signatures from its first record; says where the first break is, if any. Admin and compliance keys.");
        return api;
    }

    /// <summary>Parses the query string the API and the console share; null and an error when it is unusable.</summary>
    public static AuditQuery? ParseQuery(string? address, string[]? types, string? from, string? to, string? after, out string? field, out string? error)
    {
        field = null;
        error = null;
        NormalizedAddress? normalized = null;
        if (!string.IsNullOrWhiteSpace(address))
        {
            if (!AddressNormalizer.TryNormalize(address, out var parsed, out var addressError))
            {
                (field, error) = ("address", addressError);
                return null;
            }

            normalized = parsed;
        }

        var typeSet = new HashSet<AuditEventType>();
        foreach (var name in (types ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!AuditEventTypes.TryParse(name, out var type))
            {
                (field, error) = ("type", $"'{name}' is not a record type; use {string.Join(", ", AuditEventTypes.AllNames)}.");
                return null;
            }

            typeSet.Add(type);
        }

        if (!QueryTime.TryParse(from, endOfDay: false, out var fromTime) || !QueryTime.TryParse(to, endOfDay: true, out var toTime))
        {
            (field, error) = (QueryTime.TryParse(from, false, out _) ? "to" : "from", QueryTime.Expected);
            return null;
        }

        return new AuditQuery(normalized, typeSet, fromTime, toTime, string.IsNullOrEmpty(after) ? null : after);
    }

    private static async Task<IResult> SearchAsync(
        HttpContext http, IAuditTrail trail, TimeProvider time, string? address, string[]? type, string? from, string? to, string? format, string? limit, string? after,
        CancellationToken cancellationToken)
    {
        var query = ParseQuery(address, type, from, to, after, out var field, out var error);
        if (query is null)
        {
            return BadRequest(field!, error!);
        }

        switch (format ?? "json")
        {
            case "json":
                // Read here, not bound as a number: a binder's failure would be a 400 about the body.
                var size = DefaultPageSize;
                if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
                {
                    return BadRequest("limit", $"Use 1 to {MaxPageSize}.");
                }

                return await PageAsync(trail, query, size, cancellationToken);
            case "ndjson":
                await ExportStreams.WriteAuditAsync(http.Response, trail.SearchAsync(query, cancellationToken), csv: false, time, cancellationToken);
                return Results.Empty;
            case "csv":
                await ExportStreams.WriteAuditAsync(http.Response, trail.SearchAsync(query, cancellationToken), csv: true, time, cancellationToken);
                return Results.Empty;
            default:
                return BadRequest("format", "Use json (pages), ndjson or csv (streamed).");
        }
    }

    private static async Task<IResult> PageAsync(IAuditTrail trail, AuditQuery query, int size, CancellationToken cancellationToken)
    {
        var page = new List<AuditEntry>(size);
        var more = false;
        try
        {
            await foreach (var entry in trail.SearchAsync(query, cancellationToken))
            {
                if (page.Count == size)
                {
                    more = true;
                    break;
                }

                page.Add(entry);
            }
        }
        catch (FormatException exception)
        {
            return BadRequest("after", exception.Message);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("records");
            foreach (var entry in page)
            {
                AuditEntryFormats.WriteJson(writer, entry);
            }

            writer.WriteEndArray();
            writer.WriteString("next", more ? page[^1].Cursor : null);
            writer.WriteEndObject();
        }

        return Results.Bytes(buffer.ToArray(), "application/json");
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(IAuditTrail trail, CancellationToken cancellationToken) =>
        TypedResults.Ok(await trail.VerifyAsync(progress: null, cancellationToken));

    private static ProblemHttpResult BadRequest(string field, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {field}", detail: detail);
}
