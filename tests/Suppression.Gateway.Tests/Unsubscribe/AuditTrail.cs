using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>The consent audit records a gateway wrote for one address, read straight from its store.</summary>
internal static class AuditTrail
{
    public static async Task<List<JsonElement>> ForAsync(Infrastructure.GatewayInstance gateway, string address)
    {
        var redis = (IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!;
        var records = await redis.GetDatabase().ListRangeAsync(RedisKeyLayout.Default.AuditLogKey, -500, -1);
        return records
            .Select(record => JsonDocument.Parse(Encoding.UTF8.GetBytes(record.ToString())).RootElement)
            .Where(json => json.GetProperty("address").GetString() == address)
            .ToList();
    }
}
