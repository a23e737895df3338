using System.Text.Json;
using Suppression.Addresses;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>Reading the providers' JSON leniently: a missing or mistyped field is null, never an exception.</summary>
internal static class ProviderJson
{
    public static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The body is not JSON: " + exception.Message, exception);
        }
    }

    public static JsonElement? Property(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null ? value : null;

    /// <summary>A string, or a number written as text (Mailgun's codes, Postmark's ids).</summary>
    public static string? Text(this JsonElement element, string name) => element.Property(name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public static NormalizedAddress? Address(string? text) =>
        AddressNormalizer.TryNormalize(text, out var address, out _) ? address : null;

    // "smtp;550 5.1.1 ..." as a DSN's Diagnostic-Code (RFC 3464 2.3.6): the type goes, the reply stays.
    public static string? Diagnostic(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var text = semicolon is > 0 and < 20 && !value.AsSpan(0, semicolon).ContainsAny(' ', '@') ? value[(semicolon + 1)..] : value;
        return text.Trim() is { Length: > 0 } trimmed ? trimmed[..Math.Min(trimmed.Length, 1000)] : null;
    }
}
