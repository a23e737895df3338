using System.Net;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Tests.Server;

public sealed class ClientSessionLimiterTests
{
    private readonly ClientSessionLimiter _limiter = new(maxPerClient: 2);

    [Fact]
    public void A_client_gets_its_limit_of_sessions_and_no_more_while_others_are_unaffected()
    {
        var client = IPAddress.Parse("198.51.100.7");

        Assert.True(_limiter.TryEnter(client));
        Assert.True(_limiter.TryEnter(client));
        Assert.False(_limiter.TryEnter(client));

        Assert.True(_limiter.TryEnter(IPAddress.Parse("198.51.100.8")));
        Assert.Equal(2, _limiter.OpenFor(client));
    }

    [Fact]
    public void A_closed_session_gives_its_slot_back()
    {
        var client = IPAddress.Parse("198.51.100.7");
        Assert.True(_limiter.TryEnter(client));
        Assert.True(_limiter.TryEnter(client));

        _limiter.Exit(client);

        Assert.True(_limiter.TryEnter(client));
        _limiter.Exit(client);
        _limiter.Exit(client);
        Assert.Equal(0, _limiter.OpenFor(client));
    }

    [Fact]
    public void Ipv6_clients_are_counted_per_64_prefix()
    {
        Assert.True(_limiter.TryEnter(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.True(_limiter.TryEnter(IPAddress.Parse("2001:db8:1:2:ffff::9")));

        Assert.False(_limiter.TryEnter(IPAddress.Parse("2001:db8:1:2:abcd:1234:5678:9abc")));
        Assert.True(_limiter.TryEnter(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void An_ipv4_client_seen_through_a_dual_stack_socket_is_the_same_client()
    {
        Assert.True(_limiter.TryEnter(IPAddress.Parse("198.51.100.7")));
        Assert.True(_limiter.TryEnter(IPAddress.Parse("::ffff:198.51.100.7")));

        Assert.False(_limiter.TryEnter(IPAddress.Parse("198.51.100.7")));
    }
}
