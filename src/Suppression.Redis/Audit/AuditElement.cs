using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Redis.Audit;

// One record of a chain as stored in its list:
//
//   <sequence>\t<hash>\t<unix ms>\t<address>\t<body>
//
// e.g. 3\t9f2c...\t1763931600000\tjane@example.com\t{"v":1,"time":"2026-11-23T21:00:00.000Z","type":"suppressed",...}
//
// The hash chains the body (compact JSON, fields in a fixed order, nulls left out) and the record's
// position, not the clear address: erasure blanks the address field and the chain still verifies.
// The body keeps the address's keyed hash instead, so verification checks that every clear address
// left still matches it, and an edited address is caught too. The time is repeated before the body
// so the retention script can read it without a JSON parser. Tabs cannot occur in the fields: the
// body's JSON escapes control characters, and a normalized address has none.
internal static class AuditElement
{
    private const char Separator = '\t';

    /// <summary>The chained body of a record.</summary>
    public static byte[] Body(AuditRecord record, string? addressHash)
    {
        var buffer = new ArrayBufferWriter<byte>(320);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("time", record.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("type", record.Type.Name());
            AuditJson.WriteIfPresent(writer, "addressHash", addressHash);
            AuditJson.WriteDecision(
                writer, record.Scope?.ToString(), record.Reason?.Name(), record.Source?.Name(), record.Changed, record.Actor, record.Tenant, record.Topic, record.ClientAddress, record.UserAgent);
            AuditJson.WriteIfPresent(writer, "evidence", record.Evidence);
            AuditJson.WriteIfPresent(writer, "messageId", record.MessageId);
            AuditJson.WriteIfPresent(writer, "sender", record.Sender);
            AuditJson.WriteIfPresent(writer, "batch", record.Batch);
            if (record.Import is { } import)
            {
                import.WriteJson(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The "sequence\thash" a chain's head holds after this record.</summary>
    public static string Head(long sequence, string hash) => string.Create(CultureInfo.InvariantCulture, $"{sequence}{Separator}{hash}");

    public static string Format(long sequence, string hash, DateTimeOffset time, string? address, byte[] body) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence}{Separator}{hash}{Separator}{time.ToUnixTimeMilliseconds()}{Separator}{address}{Separator}")
        + Encoding.UTF8.GetString(body);

    /// <summary>Splits a stored element; false when it is not in the format at all.</summary>
    public static bool TrySplit(string element, out StoredParts parts)
    {
        parts = default;
        var fields = element.Split(Separator, 5);
        if (fields.Length != 5
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unixMilliseconds))
        {
            return false;
        }

        parts = new StoredParts(sequence, fields[1], unixMilliseconds, fields[3].Length == 0 ? null : fields[3], fields[4]);
        return true;
    }

    /// <summary>Reads the body's fields; false when it is not a record body.</summary>
    public static bool TryRead(AuditChain chain, StoredParts parts, out AuditEntry entry)
    {
        entry = null!;
        try
        {
            using var document = JsonDocument.Parse(parts.Body);
            var body = document.RootElement;
            if (!AuditEventTypes.TryParse(Text(body, "type"), out var type)
                || !DateTimeOffset.TryParse(Text(body, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return false;
            }

            entry = new AuditEntry(chain.Name, parts.Sequence, parts.Hash, time, type, Text(body, "actor") ?? string.Empty)
            {
                Address = parts.Address,
                AddressHash = Text(body, "addressHash"),
                Scope = Text(body, "scope"),
                Reason = Text(body, "reason"),
                Source = Text(body, "source"),
                Changed = body.TryGetProperty("changed", out var changed) && changed.ValueKind == JsonValueKind.True,
                Tenant = Text(body, "tenant"),
                Topic = Text(body, "topic"),
                ClientAddress = Text(body, "clientIp"),
                UserAgent = Text(body, "userAgent"),
                Evidence = Text(body, "evidence"),
                MessageId = Text(body, "messageId"),
                Sender = Text(body, "sender"),
                Batch = Text(body, "batch"),
                Import = body.TryGetProperty("import", out var import) && import.ValueKind == JsonValueKind.Object
                    ? new ImportSummary(
                        Text(import, "format") ?? string.Empty, Text(import, "fileSha256") ?? string.Empty,
                        Number(import, "rows"), Number(import, "imported"), Number(import, "unchanged"), Number(import, "rejected"))
                    : null,
            };
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : 0;
}

/// <summary>The parts of a stored element, before its body is read.</summary>
internal readonly record struct StoredParts(long Sequence, string Hash, long UnixMilliseconds, string? Address, string Body);
