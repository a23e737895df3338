using System.Net;
using System.Text.Json;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>What the admin API says applies to an address: how tests check that a suppression was (not) written.</summary>
internal static class SuppressionLookup
{
    public static async Task<HttpStatusCode> LookupStatusAsync(this GatewayInstance gateway, string address)
    {
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        return response.StatusCode;
    }

    /// <summary>The entries that apply; fails the test when there are none.</summary>
    public static async Task<List<JsonElement>> EntriesAsync(this GatewayInstance gateway, string address)
    {
        using var response = await gateway.Http.GetAsync("/api/v1/suppressions/" + Uri.EscapeDataString(address));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"lookup answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("entries").EnumerateArray().Select(entry => entry.Clone()).ToList();
    }
}
