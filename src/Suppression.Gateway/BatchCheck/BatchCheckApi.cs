using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Suppression.Checks;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Import;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// <c>POST /api/v1/suppressions/check</c>: whether mail of one context (tenant, topic, class) may
/// reach each of many addresses, decided as SMTP decides it (README, batch check). Up to
/// <see cref="MaxJsonAddresses"/> as one JSON body; any number as a stream of NDJSON lines or CSV
/// rows, answered in the same format as they are read, a chunk at a time.
/// </summary>
public static class BatchCheckApi
{
    public const int MaxJsonAddresses = 10_000;

    /// <summary>Addresses looked up in one pipelined batch; a few chunks are in flight at once.</summary>
    public const int StreamChunkSize = 2048;

    // 10,000 of the longest addresses, every character escaped, fit; a larger body is no batch of 10,000.
    private const long MaxJsonBodyBytes = 16L << 20;

    private const string StreamHint =
        "Send more as a stream: Content-Type: application/x-ndjson (a line {\"address\": \"...\"} each) or text/csv "
        + "(a column 'email' or 'address'), with the context as ?tenant=&topic=&class=.";

    private static readonly string[] JsonMediaTypes = ["application/json"];
    private static readonly string[] NdjsonMediaTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl"];
    private static readonly string[] CsvMediaTypes = ["text/csv", "application/csv"];

    public static RouteGroupBuilder MapBatchCheckApiV1(this RouteGroupBuilder api)
    {
        // No Accepts metadata: routing would answer other media types with a bare 415 before the
        // handler could say which ones it takes.
        api.MapPost("/suppressions/check", CheckAsync)
            .WithMetadata(ReadsOnly.Instance)
            .AdmitTenantKeys()
            .Documented(ApiContract.SuppressionsTag, "checkSuppressions", "Check many addresses before a send",
                "Whether mail of one context (tenant, topic, class) may reach each address, decided exactly as SMTP decides after DATA. "
                + "JSON: {tenant, topic, class, addresses} with up to 10,000 addresses, answered as one JSON object. NDJSON (lines "
                + "{\"address\": ...}) or CSV (a column email or address): any length, the context as ?tenant=&topic=&class=, answered "
                + "in the same format, in input order, a chunk at a time; the last record says whether the answer is complete. A context "
                + "SMTP would refuse is a 400. Admin and compliance keys (it changes nothing).",
                StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .TakesBody(typeof(BatchCheckRequest), "application/x-ndjson", "text/csv")
            .Produces<BatchCheckDocument>()
            .AlsoStreams("application/x-ndjson", "text/csv");
        return api;
    }

    private static async Task<IResult> CheckAsync(
        HttpContext http,
        ISuppressionStore store,
        TenantDirectory tenants,
        ILoggerFactory loggers,
        string? tenant,
        string? topic,
        [FromQuery(Name = "class")] string? messageClass,
        CancellationToken cancellationToken)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        var caller = CheckCaller.Of(http, tenants);
        if (IsOneOf(mediaType, JsonMediaTypes))
        {
            return await CheckJsonAsync(http, store, tenants, caller, tenant, topic, messageClass, loggers, cancellationToken);
        }

        var ndjson = IsOneOf(mediaType, NdjsonMediaTypes);
        if (!ndjson && !IsOneOf(mediaType, CsvMediaTypes))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send application/json ({\"tenant\", \"topic\", \"class\", \"addresses\": [...]}), application/x-ndjson or text/csv.");
        }

        if (!BatchCheckContext.TryResolve(tenant, topic, messageClass, caller, tenants, out var context, out var refused))
        {
            return refused;
        }

        // A stream may be of any length: it is read as it arrives and never held whole.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var inputs = ndjson
            ? NdjsonAddressReader.ReadAsync(http.Request.BodyReader, cancellationToken)
            : AddressColumnCsvReader.ReadAsync(http.Request.Body, cancellationToken);
        using ICheckAnswerWriter writer = ndjson ? new NdjsonCheckAnswerWriter(http.Response) : new CsvCheckAnswerWriter(http.Response);
        try
        {
            return await RunAsync(new BatchChecker(store, context, caller.Disclosure, StreamChunkSize), inputs, writer, http, loggers, cancellationToken);
        }
        catch (ImportFormatException exception)
        {
            // The header is read before anything is written.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unrecognised file", detail: exception.Message);
        }
    }

    private static async Task<IResult> CheckJsonAsync(
        HttpContext http, ISuppressionStore store, TenantDirectory tenants, CheckCaller caller, string? tenant, string? topic, string? messageClass, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxJsonBodyBytes;
        }

        BatchCheckRequest? request;
        try
        {
            request = await http.Request.ReadFromJsonAsync<BatchCheckRequest>(cancellationToken);
        }
        catch (JsonException exception)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Bad request",
                detail: $"The body is not the JSON this endpoint expects (at {exception.Path ?? "$"}, line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).");
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooManyForJson();
        }

        if (request?.Addresses is not { } addresses)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid addresses", detail: "The body needs \"addresses\": [\"...\", ...].");
        }

        if (addresses.Count > MaxJsonAddresses)
        {
            return TooManyForJson();
        }

        if (!BatchCheckContext.TryResolve(request.Tenant ?? tenant, request.Topic ?? topic, request.Class ?? messageClass, caller, tenants, out var context, out var refused))
        {
            return refused;
        }

        // One chunk: every lookup is done before the first byte, so a store failure is a plain 503.
        var inputs = addresses.Select(address => new AddressInput(address)).ToAsyncEnumerable();
        using var writer = new JsonCheckAnswerWriter(http.Response);
        return await RunAsync(new BatchChecker(store, context, caller.Disclosure, Math.Max(addresses.Count, 1), depth: 1), inputs, writer, http, loggers, cancellationToken);
    }

    // Before the first answer, a failure is the request's problem response (ApiErrors: 503 for the
    // store). After it, the status is sent: the stream ends with a record saying it is incomplete.
    private static async Task<IResult> RunAsync(
        BatchChecker checker, IAsyncEnumerable<AddressInput> inputs, ICheckAnswerWriter writer, HttpContext http, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await checker.RunAsync(inputs, writer, cancellationToken);
        }
        catch (Exception exception) when (writer.HasBegun && !cancellationToken.IsCancellationRequested)
        {
            var failure = FailureOf(exception);
            loggers.CreateLogger(typeof(BatchCheckApi)).BatchCheckStopped(checker.Counts.Total, failure.Status, exception);
            await writer.FailAsync(failure, checker.Counts, cancellationToken);
            return TypedResults.Empty;
        }

        await writer.EndAsync(checker.Counts, cancellationToken);
        return TypedResults.Empty;
    }

    private static CheckFailure FailureOf(Exception exception) => exception switch
    {
        _ when ApiErrors.IsStoreUnavailable(exception) => new CheckFailure(
            StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The suppression list became unavailable; the addresses after the answers above were not checked. Try again in a few seconds."),
        BadHttpRequestException badRequest => new CheckFailure(badRequest.StatusCode, "Bad request", "The request body could not be read to its end."),
        _ => new CheckFailure(StatusCodes.Status500InternalServerError, "Internal server error", "The check stopped; the addresses after the answers above were not checked."),
    };

    private static ProblemHttpResult TooManyForJson() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Too many addresses",
        detail: "A JSON body may hold at most 10,000 addresses. " + StreamHint);

    private static bool IsOneOf(string? mediaType, string[] mediaTypes) =>
        mediaType is not null && mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
}
