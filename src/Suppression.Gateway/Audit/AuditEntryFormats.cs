using System.Globalization;
using System.Text;
using System.Text.Json;
using Suppression.Audit;
using Suppression.Import;

namespace Suppression.Gateway.Audit;

/// <summary>
/// How audit records are written for people and tools: a JSON object (API pages, NDJSON lines) or a
/// CSV row. One place, so the console's download and the API's export are the same file.
/// </summary>
public static class AuditEntryFormats
{
    public const string CsvHeader = "time,type,address,address_hash,scope,reason,source,changed,actor,tenant,topic,client_ip,user_agent,message_id,sender,batch,evidence,chain,sequence,hash";

    public static void WriteJson(Utf8JsonWriter writer, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        writer.WriteStartObject();
        writer.WriteString("time", entry.Time.UtcDateTime);
        writer.WriteString("type", entry.Type.Name());
        writer.WriteString("address", entry.Address);
        writer.WriteString("addressHash", entry.AddressHash);
        AuditJson.WriteDecision(
            writer, entry.Scope, entry.Reason, entry.Source, entry.Changed, entry.Actor, entry.Tenant, entry.Topic, entry.ClientAddress, entry.UserAgent);
        AuditJson.WriteIfPresent(writer, "messageId", entry.MessageId);
        AuditJson.WriteIfPresent(writer, "sender", entry.Sender);
        AuditJson.WriteIfPresent(writer, "batch", entry.Batch);
        AuditJson.WriteIfPresent(writer, "evidence", entry.Evidence);
        if (entry.Import is { } import)
        {
            import.WriteJson(writer);
        }

        writer.WriteString("chain", entry.Chain);
        writer.WriteNumber("sequence", entry.Sequence);
        writer.WriteString("hash", entry.Hash);
        writer.WriteString("cursor", entry.Cursor);
        writer.WriteEndObject();
    }

    public static string CsvRow(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var evidence = entry.Import is { } import
            ? $"{import.Format} file sha256 {import.FileSha256}: {import.Rows} rows, {import.Imported} imported, {import.Unchanged} unchanged, {import.Rejected} rejected"
            : entry.Evidence;
        return Csv.Row(
            entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            entry.Type.Name(),
            AddressCell.Write(entry.Address),
            entry.AddressHash,
            entry.Scope,
            entry.Reason,
            entry.Source,
            entry.Changed ? "true" : "false",
            entry.Actor,
            entry.Tenant,
            entry.Topic,
            entry.ClientAddress,
            Csv.Text(entry.UserAgent),
            Csv.Text(entry.MessageId),
            Csv.Text(entry.Sender),
            entry.Batch,
            Csv.Text(evidence),
            entry.Chain,
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.Hash);
    }
}

/// <summary>RFC 4180 fields, and free text defused for spreadsheets.</summary>
public static class Csv
{
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Row(params string?[] fields)
    {
        var row = new StringBuilder(256);
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                row.Append(',');
            }

            var field = fields[i] ?? string.Empty;
            if (field.IndexOfAny(NeedsQuotes) >= 0)
            {
                row.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                row.Append(field);
            }
        }

        return row.Append("\r\n").ToString();
    }

    // Free text a sender or a recipient chose (evidence, User-Agent) could start a spreadsheet formula
    // (OWASP "CSV injection"); a leading apostrophe makes the cell text. Addresses can start with
    // these characters too, and have a lossless convention of their own (AddressCell); names we
    // validated cannot, so they are left alone.
    public static string? Text(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
