using System.Net;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Server;

public sealed class RelayNetworksTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.0/24", "192.168.1.255", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    public void Cidr_network_contains_its_addresses(string network, string client, bool contained) =>
        Assert.Equal(contained, new RelayNetworks([network]).Contains(IPAddress.Parse(client)));

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10", true)]
    [InlineData("192.0.2.10", "192.0.2.11", false)]
    [InlineData("2001:db8::1", "2001:db8::1", true)]
    [InlineData("2001:db8::1", "2001:db8::2", false)]
    public void Bare_address_is_a_network_of_one(string network, string client, bool contained) =>
        Assert.Equal(contained, new RelayNetworks([network]).Contains(IPAddress.Parse(client)));

    [Theory]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.9.8.7", true)]
    [InlineData("::ffff:203.0.113.7", false)]
    public void Ipv4_client_on_a_dual_stack_socket_matches_ipv4_networks(string client, bool contained) =>
        Assert.Equal(contained, new RelayNetworks(["127.0.0.0/8", "10.0.0.0/8"]).Contains(IPAddress.Parse(client)));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("::1", true)]
    [InlineData("192.0.2.1", false)]
    [InlineData("::2", false)]
    public void Default_networks_are_loopback_only(string client, bool contained) =>
        Assert.Equal(contained, new RelayNetworks(SmtpServerOptions.DefaultRelayNetworks).Contains(IPAddress.Parse(client)));

    [Fact]
    public void Empty_list_lets_nobody_relay() =>
        Assert.False(new RelayNetworks([]).Contains(IPAddress.Loopback));

    [Theory]
    [InlineData("not-a-network")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("")]
    public void Invalid_network_is_refused_with_its_text(string network)
    {
        var exception = Assert.Throws<FormatException>(() => new RelayNetworks([network]));

        Assert.Contains($"'{network}'", exception.Message, StringComparison.Ordinal);
    }
}
