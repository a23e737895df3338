using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// The type and timestamp of a queued body. The body is the payload WebhookPayload wrote: those two
/// come first, so only the head is read, not the whole document (this runs for every event delivered).
/// </summary>
internal static class WebhookBodyHead
{
    // Enough of a body for its type and timestamp (an event type is short, a timestamp 24 characters).
    private const int HeadLength = 160;

    public static bool TryRead(string body, out string type, out DateTimeOffset time)
    {
        type = string.Empty;
        time = default;
        var head = Encoding.UTF8.GetBytes(body[..Math.Min(body.Length, HeadLength)]);
        var reader = new Utf8JsonReader(head, isFinalBlock: head.Length == Encoding.UTF8.GetByteCount(body), state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !ReadString(ref reader, "type", out var typeText)
                || !ReadString(ref reader, "timestamp", out var timestamp)
                || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
            {
                return false;
            }

            type = typeText;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool ReadString(ref Utf8JsonReader reader, string name, out string value)
    {
        value = string.Empty;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(name)
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = reader.GetString()!;
        return true;
    }
}
