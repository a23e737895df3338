using Microsoft.AspNetCore.Http.Features;
using Suppression.Audit;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Import;
using Suppression.Suppressions;

namespace Suppression.Gateway.Suppressions;

/// <summary>
/// <c>POST /api/v1/suppressions/import</c>: reads the uploaded CSV as it arrives, writes good rows a
/// chunk at a time (the next chunk is parsed while the last one is written), reports bad rows by
/// line, and writes the batch's one audit record at the end, also when the import stops half-way.
/// Memory is bounded: one chunk in flight, one being filled, the first errors.
/// </summary>
public static class SuppressionImport
{
    /// <summary>Bad rows listed in the response; the count covers all of them.</summary>
    public const int MaxReportedErrors = 1000;

    private const int ChunkSize = 4096;

    // Far above a real suppression export (a million rows is about 40 MB), far below a disk.
    private const long MaxUploadBytes = 4L << 30;

    private static readonly string[] CsvMediaTypes = ["text/csv", "application/csv", "text/plain", "application/octet-stream"];

    public static async Task<IResult> ImportAsync(
        HttpContext http, ISuppressionList list, TimeProvider time, ILoggerFactory loggers, string? scope, string? reason, string? evidence, CancellationToken cancellationToken)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !CsvMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send the file as text/csv.");
        }

        if (ImportParameters.TryRead(scope, reason, evidence, out var options) is { } invalid)
        {
            return invalid;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxUploadBytes;
        }

        var started = time.GetUtcNow();
        var batch = await list.NewBatchAsync(cancellationToken);
        var read = new ImportReadResult();
        var progress = new ImportProgress();
        Exception? failure = null;
        try
        {
            await WriteRowsAsync(http.Request.Body, options, TenantView.Of(http), read, list, batch, started, progress, cancellationToken);
        }
        catch (ImportFormatException exception)
        {
            // Nothing was written: the header is read before any row.
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unrecognised file", detail: exception.Message);
        }
        catch (ImportOptionsException exception)
        {
            // Nothing was written either: the parameters are checked against the format before any row.
            return ImportParameters.Problem(exception.Parameter ?? "parameters", exception.Message);
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        var summary = new ImportSummary(read.FormatName ?? "unknown", read.FileDigest ?? string.Empty, progress.Rows, progress.Counts.Imported, progress.Counts.Unchanged, progress.Rejected);
        ImportTelemetry.Imported(summary);
        var record = ApiAudit.Record(http, time.GetUtcNow(), AuditEventType.Imported) with
        {
            Scope = options.Scope,
            Source = SuppressionSource.Import,
            Changed = progress.Counts.Imported > 0,
            Batch = batch,
            Import = summary,
            Evidence = ImportParameters.Evidence(options.Evidence, failure),
        };

        // The batch's record is written even for a half-done import, so every imported entry's batch is on record.
        await list.RecordBatchAsync(record, failure is null ? cancellationToken : CancellationToken.None);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        loggers.CreateLogger(typeof(SuppressionImport)).ImportFinished(
            batch, summary.Format, summary.Rows, summary.Imported, summary.Unchanged, summary.Rejected, (time.GetUtcNow() - started).TotalSeconds);
        return TypedResults.Ok(new ImportResponse(
            batch, summary.Format, summary.FileSha256, summary.Rows, summary.Imported, summary.Unchanged, summary.Rejected,
            progress.Errors, progress.Rejected > progress.Errors.Count));
    }

    private static async Task WriteRowsAsync(
        Stream body, ImportOptions options, TenantView view, ImportReadResult read, ISuppressionList list, string batch, DateTimeOffset now, ImportProgress progress,
        CancellationToken cancellationToken)
    {
        var chunk = new List<(ImportTarget, SuppressionEntry)>(ChunkSize);
        Task<ImportCounts>? writing = null;
        var fallbackTime = now.ToWholeSeconds();
        await foreach (var row in SuppressionCsvReader.ReadAsync(body, options, read, cancellationToken))
        {
            progress.Rows++;
            if (row.IsRejected)
            {
                progress.Reject(row.Line, row.Error);
                continue;
            }

            // Rows of our own export carry their scope: a tenant key imports into its own scopes only.
            if (!view.MayChange(row.Scope))
            {
                progress.Reject(row.Line, $"scope {row.Scope} is outside this key's tenant ({view.Tenant})");
                continue;
            }

            // The entry keeps when the person opted out, as the old provider recorded it.
            var created = row.OccurredAt is { } occurred ? occurred.ToWholeSeconds() : fallbackTime;
            chunk.Add((row.Target, new SuppressionEntry(row.Scope, row.Reason, SuppressionSource.Import, created)));
            if (chunk.Count == ChunkSize)
            {
                await AddWrittenAsync(writing, progress);
                writing = list.ImportAsync(chunk, batch, cancellationToken);
                chunk = new List<(ImportTarget, SuppressionEntry)>(ChunkSize);
            }
        }

        await AddWrittenAsync(writing, progress);
        if (chunk.Count > 0)
        {
            progress.Counts += await list.ImportAsync(chunk, batch, cancellationToken);
        }
    }

    private static async Task AddWrittenAsync(Task<ImportCounts>? writing, ImportProgress progress)
    {
        if (writing is not null)
        {
            progress.Counts += await writing;
        }
    }

    private sealed class ImportProgress
    {
        public long Rows { get; set; }

        public long Rejected { get; private set; }

        public ImportCounts Counts { get; set; }

        public List<ImportError> Errors { get; } = [];

        public void Reject(long line, string reason)
        {
            Rejected++;
            if (Errors.Count < MaxReportedErrors)
            {
                Errors.Add(new ImportError(line, reason));
            }
        }
    }
}

public sealed record ImportError(long Line, string Reason);

public sealed record ImportResponse(
    string Batch, string Format, string FileSha256, long Rows, long Imported, long Unchanged, long Rejected, IReadOnlyList<ImportError> Errors, bool ErrorsTruncated);
