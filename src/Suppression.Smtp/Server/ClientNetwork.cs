using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Suppression.Smtp.Server;

/// <summary>
/// The unit a client is counted by: its IPv4 address, or its IPv6 /64, since one host usually holds
/// the whole prefix and can pick a new address for every connection.
/// </summary>
public static class ClientNetwork
{
    public static IPAddress Of(IPAddress client)
    {
        if (client.IsIPv4MappedToIPv6)
        {
            return client.MapToIPv4();
        }

        if (client.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return client;
        }

        Span<byte> prefix = stackalloc byte[16];
        client.TryWriteBytes(prefix, out _);
        prefix[8..].Clear();
        return new IPAddress(prefix);
    }

    /// <summary><c>192.0.2.7</c>, or <c>2001:db8:1:2::/64</c>.</summary>
    public static string Format(IPAddress network) =>
        network.AddressFamily == AddressFamily.InterNetworkV6 ? network + "/64" : network.ToString();

    /// <summary>Reads an address, or an IPv6 network as <see cref="Format"/> writes it, into its network.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? network)
    {
        network = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var ipv6Network = text.EndsWith("/64", StringComparison.Ordinal);
        if (!IPAddress.TryParse(ipv6Network ? text[..^3] : text, out var address)
            || (ipv6Network && address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            return false;
        }

        network = Of(address);
        return true;
    }
}
