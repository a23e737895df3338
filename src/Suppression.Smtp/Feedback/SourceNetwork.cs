using System.Net;
using System.Net.Sockets;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The network a client sends from, as a sender of junk holds it: an IPv4 /24 or an IPv6 /64 (one
/// host usually has the whole /64 and can pick a new address for every connection).
/// </summary>
public static class SourceNetwork
{
    public static string Of(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        var prefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 64 : 24;
        bytes[(prefix / 8)..length].Clear();
        return $"{new IPAddress(bytes[..length])}/{prefix}";
    }
}
