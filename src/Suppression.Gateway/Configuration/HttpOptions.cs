using System.Net;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// <c>Suppression:Http</c>: the proxies in front of the HTTP listener. Only a request whose
/// connection comes from one of them has its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
/// believed; none configured (the default), nobody's are.
/// </summary>
public sealed class HttpOptions
{
    /// <summary>Proxy addresses (IPv4 or IPv6) whose forwarded headers are believed.</summary>
    public string[]? KnownProxies { get; set; }

    /// <summary>Proxy networks in CIDR notation (e.g. 10.0.0.0/8, a cluster's pod network) whose forwarded headers are believed.</summary>
    public string[]? KnownNetworks { get; set; }

    public bool HasProxies => KnownProxies is { Length: > 0 } || KnownNetworks is { Length: > 0 };

    public static bool TryParseProxy(string? text, out IPAddress address) =>
        IPAddress.TryParse(text?.Trim(), out address!) && !text!.Contains('/', StringComparison.Ordinal);

    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var trimmed = text?.Trim();
        return trimmed is not null && trimmed.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(trimmed, out network);
    }
}
