using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Suppression.Audit;

namespace Suppression.Webhooks;

/// <summary>
/// The body one endpoint receives (Standard Webhooks shape): <c>{"type","timestamp","data":{...}}</c>,
/// every field of <c>data</c> always present (null when it has no value), in a fixed order, so the
/// JSON Schema in docs/ can require them. The address only for endpoints with <c>IncludeAddress</c>;
/// the keyed hash always. <c>chain</c> and <c>sequence</c> are null, and <c>review</c> an object, on
/// <c>feedback.review</c> only (it reports a held report, not an audit record).
/// </summary>
public static class WebhookPayload
{
    public static string Write(WebhookEvent webhookEvent, bool includeAddress)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var time = webhookEvent.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", webhookEvent.Type);
            writer.WriteString("timestamp", time);
            writer.WriteStartObject("data");
            writer.WriteString("id", webhookEvent.Id);
            writer.WriteString("time", time);
            Nullable(writer, "tenant", webhookEvent.Tenant);
            Nullable(writer, "topic", webhookEvent.Topic);
            Nullable(writer, "scope", webhookEvent.Scope);
            Nullable(writer, "class", webhookEvent.Class);
            Nullable(writer, "reason", webhookEvent.Reason);
            Nullable(writer, "source", webhookEvent.Source);
            writer.WriteString("actor", webhookEvent.Actor);
            Nullable(writer, "chain", webhookEvent.Chain);
            if (webhookEvent.Sequence is { } sequence)
            {
                writer.WriteNumber("sequence", sequence);
            }
            else
            {
                writer.WriteNull("sequence");
            }

            Nullable(writer, "messageId", webhookEvent.MessageId);
            Nullable(writer, "address", includeAddress && webhookEvent.Type != WebhookEventTypes.ErasureCompleted ? webhookEvent.Address : null);
            Nullable(writer, "addressHash", webhookEvent.AddressHash);
            if (webhookEvent.Review is { } review)
            {
                writer.WriteStartObject("review");
                writer.WriteString("id", review.Id);
                writer.WriteString("kind", review.Kind);
                writer.WriteString("verdict", review.Verdict);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("review");
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The same body without its address: what an erasure leaves of a payload still queued.</summary>
    public static string WithoutAddress(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var document = JsonDocument.Parse(body);
        var buffer = new ArrayBufferWriter<byte>(body.Length);
        using (var writer = new Utf8JsonWriter(buffer, AuditJson.WriterOptions))
        {
            Copy(writer, document.RootElement, blankAddress: false);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The <c>data.addressHash</c> and whether <c>data.address</c> is set, of a body this class wrote.</summary>
    public static (string? AddressHash, bool HasAddress) AddressOf(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return (null, false);
        }

        var hash = data.TryGetProperty("addressHash", out var hashValue) && hashValue.ValueKind == JsonValueKind.String ? hashValue.GetString() : null;
        return (hash, data.TryGetProperty("address", out var address) && address.ValueKind == JsonValueKind.String);
    }

    private static void Copy(Utf8JsonWriter writer, JsonElement element, bool blankAddress)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            element.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            if (blankAddress && property.NameEquals("address"))
            {
                writer.WriteNullValue();
            }
            else
            {
                Copy(writer, property.Value, blankAddress: property.NameEquals("data"));
            }
        }

        writer.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
