using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// A client address as a limiter's key: an IPv4 address whole, an IPv6 client by its /64 (which one
/// subscriber usually holds whole, so a stranger cannot pass for many by changing the low bits).
/// </summary>
public static class ClientNetworkKey
{
    public static UInt128 Of(IPAddress? client)
    {
        if (client is null)
        {
            return UInt128.MaxValue;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        if (client.AddressFamily == AddressFamily.InterNetwork)
        {
            // Kept apart from IPv6 prefixes by a high half no global IPv6 network has.
            client.TryWriteBytes(bytes[12..], out _);
            bytes[..8].Fill(0xff);
            return MemoryMarshal.Read<UInt128>(bytes);
        }

        client.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return MemoryMarshal.Read<UInt128>(bytes);
    }
}
