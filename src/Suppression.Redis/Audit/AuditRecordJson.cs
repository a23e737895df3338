using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Redis.Audit;

// One consent event as one compact JSON object, e.g.
// {"time":"2026-11-23T21:00:00Z","action":"suppressed","address":"jane@example.com","scope":"topic:acme/deals",
//  "reason":"unsubscribe","source":"one-click","changed":true,"tenant":"acme","topic":"deals",
//  "clientIp":"192.0.2.7","userAgent":"Mozilla/5.0 ...","evidence":null}
// Names and spellings are contract (ContractNames), as for the blocked-delivery log.
internal static class AuditRecordJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToJson(AuditRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", record.Time.UtcDateTime);
            writer.WriteString("action", record.Action == AuditAction.Suppressed ? "suppressed" : "resubscribed");
            writer.WriteString("address", record.Address.Value);
            writer.WriteString("scope", record.Scope.ToString());
            writer.WriteString("reason", record.Reason.Name());
            writer.WriteString("source", record.Source.Name());
            writer.WriteBoolean("changed", record.Changed);
            writer.WriteString("tenant", record.Tenant);
            writer.WriteString("topic", record.Topic);
            writer.WriteString("clientIp", record.ClientAddress);
            writer.WriteString("userAgent", record.UserAgent);
            writer.WriteString("evidence", record.Evidence);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
