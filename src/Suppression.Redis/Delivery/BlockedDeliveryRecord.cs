using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Suppression.Delivery;
using Suppression.Suppressions;

namespace Suppression.Redis.Delivery;

// One blocked delivery as one compact JSON object, e.g.
// {"time":"2024-11-22T18:13:20Z","clientIp":"192.0.2.1","sender":"news@example.com",
//  "recipient":"user+tag@example.org","reason":"unsubscribe","scope":"global","messageId":"<1@x>"}
// Written with Utf8JsonWriter rather than a serializer: the shape is fixed and the names and enum
// spellings are contract (ContractNames), not whatever a serializer would derive from members.
internal static class BlockedDeliveryRecord
{
    // The records are read by tools and people, never embedded in HTML, so '+', '<' and non-ASCII
    // letters in addresses and Message-IDs stay readable instead of becoming \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToJson(BlockedDelivery delivery)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("time", delivery.Time.UtcDateTime);
            writer.WriteString("clientIp", delivery.ClientAddress.ToString());
            writer.WriteString("sender", delivery.EnvelopeSender);
            writer.WriteString("recipient", delivery.Recipient.Value);
            writer.WriteString("reason", delivery.Reason.Name());
            writer.WriteString("scope", delivery.Scope.ToString());
            writer.WriteString("messageId", delivery.MessageId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
