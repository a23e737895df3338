using System.Net;
using Microsoft.Extensions.Time.Testing;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>Issue 20: strangers guessing at the provider endpoint are slowed per network; an ESP's signed requests are never counted.</summary>
public sealed class ProviderRequestLimitsTests
{
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.7");
    private static readonly IPAddress Esp = IPAddress.Parse("203.0.113.20");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_network_that_failed_its_share_is_refused_until_the_minute_ends_and_another_is_not()
    {
        var limits = new ProviderRequestLimits(failuresPerClient: 3, _clock);

        for (var failure = 0; failure < 3; failure++)
        {
            Assert.True(limits.TryAdmit(Stranger, out _));
            limits.RecordFailure(Stranger);
        }

        Assert.False(limits.TryAdmit(Stranger, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.True(limits.TryAdmit(Esp, out _));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limits.TryAdmit(Stranger, out _));
    }

    [Fact]
    public void Admitting_counts_nothing_so_a_burst_of_authenticated_requests_is_never_refused()
    {
        var limits = new ProviderRequestLimits(failuresPerClient: 3, _clock);

        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.True(limits.TryAdmit(Esp, out TimeSpan _)));
    }

    [Fact]
    public void An_ipv6_stranger_cannot_escape_by_changing_the_low_64_bits()
    {
        var limits = new ProviderRequestLimits(failuresPerClient: 2, _clock);

        limits.RecordFailure(IPAddress.Parse("2001:db8:1:2::1"));
        limits.RecordFailure(IPAddress.Parse("2001:db8:1:2::ffff:9"));

        Assert.False(limits.TryAdmit(IPAddress.Parse("2001:db8:1:2:abcd::7"), out _));
        Assert.True(limits.TryAdmit(IPAddress.Parse("2001:db8:1:3::1"), out _));
    }

    [Fact]
    public void With_the_table_full_untracked_networks_share_one_budget_and_memory_stays_bounded()
    {
        var limits = new ProviderRequestLimits(failuresPerClient: 2, _clock, capacity: 10);

        for (var network = 0; network < 1000; network++)
        {
            limits.RecordFailure(IPAddress.Parse($"10.0.{network / 256}.{network % 256}"));
        }

        Assert.False(limits.TryAdmit(IPAddress.Parse("192.0.2.1"), out _));
        Assert.True(limits.TryAdmit(IPAddress.Parse("10.0.0.1"), out _));
    }
}
