using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Suppression.Addresses;

namespace Suppression.Bench.Unsubscribe;

/// <summary>
/// Asks the admin API (GET /api/v1/suppressions/{address}) whether a recipient now carries an
/// unsubscribe entry recorded by one-click: the 200 the endpoint answered must mean a stored write.
/// </summary>
internal static class SuppressionCheck
{
    public static async Task<string?> ProblemWithAsync(HttpClient client, Uri baseUrl, string adminKey, NormalizedAddress recipient, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "api/v1/suppressions/" + Uri.EscapeDataString(recipient.Value)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"{recipient}: admin API answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var oneClick = body.RootElement.GetProperty("entries").EnumerateArray().Any(entry =>
            entry.GetProperty("reason").GetString() == "unsubscribe" && entry.GetProperty("source").GetString() == "one-click");
        return oneClick ? null : $"{recipient}: suppressed, but with no unsubscribe entry from one-click";
    }
}
