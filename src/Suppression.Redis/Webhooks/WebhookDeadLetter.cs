using System.Buffers;
using System.Text;
using System.Text.Json;
using Suppression.Audit;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// One entry of an endpoint's dead-letter list: the event's id and final body, the last failure and
/// how many attempts were made, kept as one JSON string so the list stays a plain Redis list.
/// </summary>
internal readonly record struct WebhookDeadLetter(string EventId, string Failure, int Attempts, string Body)
{
    public string Write()
    {
        var buffer = new ArrayBufferWriter<byte>(Body.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", EventId);
            writer.WriteString("failure", Failure);
            writer.WriteNumber("attempts", Attempts);
            writer.WriteString("body", Body);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <returns>The letter as <see cref="Write"/> wrote it, or null when it is not one.</returns>
    public static WebhookDeadLetter? TryRead(string letter)
    {
        try
        {
            using var document = JsonDocument.Parse(letter);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && root.TryGetProperty("failure", out var failure) && failure.ValueKind == JsonValueKind.String
                && root.TryGetProperty("attempts", out var attempts) && attempts.ValueKind == JsonValueKind.Number && attempts.TryGetInt32(out var count)
                && root.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String
                ? new WebhookDeadLetter(id.GetString()!, failure.GetString()!, count, body.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
