using System.Net;

namespace Suppression.Smtp.Server;

/// <summary>The client networks allowed to relay without authentication (no open relay).</summary>
public sealed class RelayNetworks
{
    private readonly IPNetwork[] _networks;

    public RelayNetworks(IEnumerable<string> cidrs)
    {
        _networks = cidrs.Select(cidr => TryParse(cidr, out var network)
            ? network
            : throw new FormatException($"'{cidr}' is not a network in CIDR notation")).ToArray();
    }

    public static bool TryParse(string cidr, out IPNetwork network)
    {
        // A bare address is a network of one.
        if (!cidr.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(cidr, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(cidr, out network);
    }

    public bool Contains(IPAddress client)
    {
        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return _networks.Any(network => network.Contains(address));
    }
}
