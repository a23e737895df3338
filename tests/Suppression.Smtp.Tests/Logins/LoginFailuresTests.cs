using System.Net;
using Microsoft.Extensions.Time.Testing;
using Suppression.Smtp.Logins;

namespace Suppression.Smtp.Tests.Logins;

public sealed class LoginFailuresTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.9");
    private static readonly LoginLimits Limits = new(
        FailuresPerUser: 3, FailuresPerClient: 5, FirstLockout: TimeSpan.FromMinutes(1), MaxLockout: TimeSpan.FromMinutes(5), Memory: TimeSpan.FromHours(1));

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RecordFailure_AtTheLimit_LocksTheNameOutForTheFirstLockoutThenDoublesUpToTheCap()
    {
        var failures = new LoginFailures(Limits with { FailuresPerClient = 100 }, _time);

        Assert.Null(failures.RecordFailure(Client, "acme"));
        Assert.Null(failures.RecordFailure(Client, "acme"));
        Assert.Null(failures.LockedUntil(Client, "acme"));

        var lockouts = new List<TimeSpan>();
        for (var failure = 0; failure < 5; failure++)
        {
            lockouts.Add(failures.RecordFailure(Client, "acme")!.Value - _time.GetUtcNow());
            _time.SetUtcNow(failures.LockedUntil(Client, "acme")!.Value);
        }

        Assert.Equal([1, 2, 4, 5, 5], lockouts.Select(lockout => lockout.TotalMinutes));
        Assert.Null(failures.LockedUntil(Client, "globex"));
    }

    [Fact]
    public void RecordSuccess_ClearsTheNamesFailuresButNotTheClientsCount()
    {
        var failures = new LoginFailures(Limits, _time);
        failures.RecordFailure(Client, "acme");
        failures.RecordFailure(Client, "acme");

        failures.RecordSuccess(Client, "acme");

        Assert.Null(failures.RecordFailure(Client, "acme"));
        Assert.Equal([(string?)null, "acme"], failures.List(Client, 10).Select(record => record.Username).Order());
        Assert.Equal(3, Assert.Single(failures.List(Client, 10), record => record.Username is null).Failures);
    }

    [Fact]
    public void RecordFailure_ManyNamesFromOneClient_LockTheWholeClientOutAtTheCeiling()
    {
        var failures = new LoginFailures(Limits, _time);
        for (var name = 0; name < 4; name++)
        {
            failures.RecordFailure(Client, "guess" + name);
        }

        Assert.Null(failures.LockedUntil(Client, username: null));
        failures.RecordFailure(Client, "guess4");

        Assert.Equal(_time.GetUtcNow().AddMinutes(1), failures.LockedUntil(Client, username: null));
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), failures.LockedUntil(Client, "acme"));
        Assert.Null(failures.LockedUntil(IPAddress.Parse("203.0.113.10"), "acme"));
    }

    [Fact]
    public void RecordFailure_Ipv6_IsCountedPerSlash64()
    {
        var failures = new LoginFailures(Limits, _time);
        for (var host = 1; host <= 3; host++)
        {
            failures.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{host}"), "acme");
        }

        Assert.NotNull(failures.LockedUntil(IPAddress.Parse("2001:db8:1:2:ffff::9"), "acme"));
        Assert.Null(failures.LockedUntil(IPAddress.Parse("2001:db8:1:3::1"), "acme"));
        Assert.Equal("2001:db8:1:2::/64", failures.List(null, 10)[0].Client);
    }

    [Fact]
    public void Failures_AreForgottenAMemoryAfterTheLockoutEnds_NotBefore()
    {
        var failures = new LoginFailures(Limits with { FailuresPerClient = 100 }, _time);
        for (var failure = 0; failure < 3; failure++)
        {
            failures.RecordFailure(Client, "acme");
        }

        _time.Advance(TimeSpan.FromMinutes(1) + Limits.Memory - TimeSpan.FromSeconds(1));
        Assert.Equal(2, failures.RecordFailure(Client, "acme")!.Value.Subtract(_time.GetUtcNow()).TotalMinutes);

        _time.Advance(TimeSpan.FromMinutes(2) + Limits.Memory);
        Assert.Empty(failures.List(null, 10));
        Assert.Null(failures.RecordFailure(Client, "acme"));
    }

    [Fact]
    public void Clear_WithANameForgetsThatName_WithoutOneForgetsTheWholeClient()
    {
        var failures = new LoginFailures(Limits with { FailuresPerClient = 100 }, _time);
        var other = IPAddress.Parse("198.51.100.1");
        for (var failure = 0; failure < 3; failure++)
        {
            failures.RecordFailure(Client, "acme");
            failures.RecordFailure(Client, "globex");
            failures.RecordFailure(other, "acme");
        }

        Assert.Equal(1, failures.Clear(Client, "acme"));
        Assert.Null(failures.LockedUntil(Client, "acme"));
        Assert.NotNull(failures.LockedUntil(Client, "globex"));

        Assert.Equal(2, failures.Clear(Client, username: null));
        Assert.Null(failures.LockedUntil(Client, "globex"));
        Assert.NotNull(failures.LockedUntil(other, "acme"));
    }

    [Fact]
    public void RecordFailure_FromManyStrangers_KeepsTheTableBoundedAndLockoutsLongest()
    {
        var failures = new LoginFailures(Limits, _time, capacity: 100);
        for (var failure = 0; failure < 3; failure++)
        {
            failures.RecordFailure(Client, "acme");
        }

        for (var stranger = 0; stranger < 1000; stranger++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            failures.RecordFailure(new IPAddress([198, 51, (byte)(stranger / 256), (byte)stranger]), "x");
        }

        Assert.InRange(failures.List(null, int.MaxValue).Count, 1, 100);
        Assert.NotNull(failures.LockedUntil(Client, "acme"));
    }
}
