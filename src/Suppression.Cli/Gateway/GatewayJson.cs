using System.Text.Json;

namespace Suppression.Cli.Gateway;

internal static class GatewayJson
{
    /// <summary>camelCase names, as the gateway writes them (ASP.NET Core's web defaults).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
