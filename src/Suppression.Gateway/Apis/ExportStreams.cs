using System.Globalization;
using System.Text;
using System.Text.Json;
using Suppression.Audit;
using Suppression.Gateway.Audit;
using Suppression.Import;
using Suppression.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// Writes exports (audit records, the suppression list) to a response as CSV or NDJSON while they
/// are read, flushing every so many rows: constant memory however many there are, and a client
/// sees progress. The API and the console's downloads share it, so they give the same files.
/// </summary>
public static class ExportStreams
{
    public const string SuppressionsCsvHeader = "address,address_hash,scope,reason,source,created_at,batch,mailbox_key";

    private const int FlushEvery = 500;

    public static Task WriteAuditAsync(HttpResponse response, IAsyncEnumerable<AuditEntry> entries, bool csv, TimeProvider time, CancellationToken cancellationToken) =>
        WriteAsync(response, "audit", entries, csv, time, AuditEntryFormats.CsvHeader, AuditEntryFormats.CsvRow, AuditEntryFormats.WriteJson, cancellationToken);

    public static Task WriteSuppressionsAsync(HttpResponse response, IAsyncEnumerable<ListedSuppression> entries, bool csv, TimeProvider time, CancellationToken cancellationToken) =>
        WriteAsync(response, "suppressions", entries, csv, time, SuppressionsCsvHeader, SuppressionCsvRow, WriteSuppressionJson, cancellationToken);

    private static async Task WriteAsync<T>(
        HttpResponse response, string name, IAsyncEnumerable<T> rows, bool csv, TimeProvider time, string csvHeader, Func<T, string> csvRow, Action<Utf8JsonWriter, T> writeJson,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"{name}-{time.GetUtcNow():yyyyMMdd-HHmmss}.{(csv ? "csv" : "ndjson")}\"");
        var body = response.BodyWriter.AsStream();
        if (csv)
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(csvHeader + "\r\n"), cancellationToken);
        }

        var count = 0;
        await using var json = new Utf8JsonWriter(body, AuditJson.WriterOptions);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (csv)
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(csvRow(row)), cancellationToken);
            }
            else
            {
                writeJson(json, row);
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
    }

    private static string SuppressionCsvRow(ListedSuppression listed) => Csv.Row(
        AddressCell.Write(listed.Address), listed.AddressHash, listed.Entry.Scope.ToString(), listed.Entry.Reason.Name(), listed.Entry.Source.Name(), Created(listed), listed.Batch, listed.MailboxKey.ToString());

    private static void WriteSuppressionJson(Utf8JsonWriter json, ListedSuppression listed)
    {
        json.WriteStartObject();
        json.WriteString("address", listed.Address);
        json.WriteString("addressHash", listed.AddressHash);
        json.WriteString("scope", listed.Entry.Scope.ToString());
        json.WriteString("reason", listed.Entry.Reason.Name());
        json.WriteString("source", listed.Entry.Source.Name());
        json.WriteString("createdAt", Created(listed));
        json.WriteString("batch", listed.Batch);
        json.WriteString("mailboxKey", listed.MailboxKey.ToString());
        json.WriteEndObject();
    }

    private static string Created(ListedSuppression listed) =>
        listed.Entry.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
