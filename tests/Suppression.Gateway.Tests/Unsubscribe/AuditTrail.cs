using System.Text.Json;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Audit;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// The audit records a gateway wrote for one address (suppression changes, or blocked deliveries),
/// read through its audit trail and shaped as the API returns them.
/// </summary>
internal static class AuditTrail
{
    /// <param name="blocked">The delivery records (blocked, and overridden by transactional mail) instead of the changes.</param>
    public static async Task<List<JsonElement>> ForAsync(Infrastructure.GatewayInstance gateway, string address, bool blocked = false)
    {
        var trail = (IAuditTrail)gateway.Services.GetService(typeof(IAuditTrail))!;
        AuditEventType[] deliveries = [AuditEventType.Blocked, AuditEventType.Overridden];
        var types = blocked
            ? deliveries.ToHashSet()
            : Enum.GetValues<AuditEventType>().Where(type => !deliveries.Contains(type)).ToHashSet();
        var records = new List<JsonElement>();
        await foreach (var entry in trail.SearchAsync(new AuditQuery(AddressNormalizer.Normalize(address), types), CancellationToken.None))
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                AuditEntryFormats.WriteJson(writer, entry);
            }

            records.Add(JsonDocument.Parse(buffer.ToArray()).RootElement.Clone());
        }

        return records;
    }

    /// <summary>
    /// Everything the audit API hands a compliance officer that could hold <paramref name="address"/>:
    /// the whole trail as CSV and NDJSON, and the address's own history (found by its hash once erased).
    /// </summary>
    public static async Task<string> ExportAsync(Infrastructure.GatewayInstance gateway, string address) =>
        string.Join(
            "\n",
            await gateway.Http.GetStringAsync("/api/v1/audit?format=csv"),
            await gateway.Http.GetStringAsync("/api/v1/audit?format=ndjson"),
            await gateway.Http.GetStringAsync($"/api/v1/audit?address={Uri.EscapeDataString(address)}"));
}
