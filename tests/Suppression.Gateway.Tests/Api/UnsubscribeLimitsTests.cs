using System.Net;
using Microsoft.Extensions.Time.Testing;
using Suppression.Addresses;
using Suppression.Gateway.Unsubscribe;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Api;

/// <summary>The limiter's memory stays bounded whatever strangers invent, and a full table never refuses a valid link.</summary>
public sealed class UnsubscribeLimitsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_window_holds_at_most_its_capacity_and_starts_empty_again()
    {
        var counters = new FixedWindowCounters(3, TimeSpan.FromMinutes(1), _clock);
        for (var key = 0; key < 3; key++)
        {
            Assert.Equal(WindowCount.Counted, counters.TryCount((UInt128)key, 2, out _));
        }

        Assert.Equal(WindowCount.Untracked, counters.TryCount(99, 2, out _));
        Assert.Equal(WindowCount.Counted, counters.TryCount(0, 2, out _));
        Assert.Equal(WindowCount.Refused, counters.TryCount(0, 2, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.Equal(3, counters.Count);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(WindowCount.Counted, counters.TryCount(0, 2, out _));
        Assert.Equal(1, counters.Count);
    }

    [Fact]
    public void Invented_client_addresses_past_the_capacity_share_one_budget()
    {
        var limits = new UnsubscribeLimits(perLink: 10, perRecipient: 10, invalidPerClient: 2, _clock, capacity: 100);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(limits.TryAdmitOther(IPAddress.Parse("2001:db8:" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "::1"), out _));
        }

        Assert.True(limits.TryAdmitOther(IPAddress.Parse("198.51.100.1"), out _));
        Assert.True(limits.TryAdmitOther(IPAddress.Parse("198.51.100.2"), out _));
        Assert.False(limits.TryAdmitOther(IPAddress.Parse("198.51.100.3"), out _));

        // A client already counted keeps its own budget.
        Assert.True(limits.TryAdmitOther(IPAddress.Parse("2001:db8:0::1"), out _));
    }

    [Fact]
    public void An_ipv6_client_is_counted_by_its_64_and_an_ipv4_mapped_one_as_ipv4()
    {
        var limits = new UnsubscribeLimits(perLink: 10, perRecipient: 10, invalidPerClient: 1, _clock);

        Assert.True(limits.TryAdmitOther(IPAddress.Parse("2001:db8:1:2::1"), out _));
        Assert.False(limits.TryAdmitOther(IPAddress.Parse("2001:db8:1:2:ffff::9"), out _));
        Assert.True(limits.TryAdmitOther(IPAddress.Parse("2001:db8:1:3::1"), out _));
        Assert.True(limits.TryAdmitOther(IPAddress.Parse("192.0.2.1"), out _));
        Assert.False(limits.TryAdmitOther(IPAddress.Parse("::ffff:192.0.2.1"), out _));
    }

    [Fact]
    public void Valid_links_past_the_capacity_are_served_uncounted()
    {
        var limits = new UnsubscribeLimits(perLink: 1, perRecipient: 1, invalidPerClient: 1, _clock, capacity: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(limits.TryAdmitValid("link-" + i, Token("r" + i + "@example.com"), out _));
        }

        Assert.False(limits.TryAdmitValid("link-0", Token("r0@example.com"), out _));
        for (var i = 10; i < 50; i++)
        {
            Assert.True(limits.TryAdmitValid("link-" + i, Token("r" + i + "@example.com"), out _));
        }
    }

    private static UnsubscribeToken Token(string address) => new(AddressNormalizer.Normalize(address), "acme", null, DateTimeOffset.UnixEpoch);
}
