using System.Net;
using System.Net.Sockets;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// Addresses a webhook must not reach unless <c>AllowPrivateNetworks</c>: the gateway's own machine
/// and networks (loopback, RFC 1918, link-local with the cloud metadata service, unique-local, CGNAT,
/// unspecified, multicast). Checked on a URL's literal IP at start-up and on every resolved address
/// at connect time, so a name that later resolves inwards (DNS rebinding) is refused too.
/// </summary>
public static class PrivateNetworks
{
    private static readonly (IPAddress Network, int PrefixLength)[] V4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int PrefixLength)[] V6 =
    [
        (IPAddress.Parse("::"), 128),
        (IPAddress.Parse("::1"), 128),
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("ff00::"), 8),
    ];

    public static bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? V4 : V6;
        return ranges.Any(range => new IPNetwork(range.Network, range.PrefixLength).Contains(address));
    }
}
