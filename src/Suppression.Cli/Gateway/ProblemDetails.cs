using System.Text.Json;

namespace Suppression.Cli.Gateway;

/// <summary>An RFC 9457 (formerly 7807) problem document, as the gateway sends with every 4xx and 5xx.</summary>
internal sealed record ProblemDetails(string Title, string? Detail, int Status)
{
    /// <summary>
    /// Reads the body of an error response. A body that is not a problem document (a proxy's HTML
    /// page, an empty 502) still yields the status line as the title.
    /// </summary>
    public static async Task<ProblemDetails> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var statusLine = string.IsNullOrEmpty(response.ReasonPhrase) ? $"HTTP {status}" : $"{status} {response.ReasonPhrase}";
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return new ProblemDetails(
                    StringProperty(document.RootElement, "title") ?? statusLine,
                    StringProperty(document.RootElement, "detail"),
                    status);
            }
        }
        catch (JsonException)
        {
        }

        return new ProblemDetails(statusLine, null, status);
    }

    /// <summary>The one line the user sees: <c>error: title: detail</c>.</summary>
    public string ToMessage() => string.IsNullOrWhiteSpace(Detail) ? $"error: {Title}" : $"error: {Title}: {Detail}";

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
