using Suppression.Addresses;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisSuppressionStoreTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    public static TheoryData<string> Backends => RedisBackendsFixture.NamesInEveryFormat;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Added_entry_is_returned_by_lookup(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

        Assert.True(await store.AddAsync(address, entry, TestAudit.Any, CancellationToken.None));

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(entry, Assert.Single(Assert.Single(entries)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Unknown_address_has_no_entries(string backend)
    {
        var entries = await Store(backend).GetEntriesAsync([TestAddresses.Unique()], CancellationToken.None);

        Assert.Empty(Assert.Single(entries));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Adding_same_scope_twice_is_idempotent(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var first = new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);
        var second = first with { Reason = SuppressionReason.Complaint, Source = SuppressionSource.Arf, CreatedAt = Now.AddDays(1) };

        Assert.True(await store.AddAsync(address, first, TestAudit.Any, CancellationToken.None));
        Assert.False(await store.AddAsync(address, second, TestAudit.Any, CancellationToken.None));

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(first, Assert.Single(entries[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Concurrent_adds_of_one_scope_store_one_entry(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Dsn, Now);

        var added = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.AddAsync(address, entry, TestAudit.Any, CancellationToken.None)));

        Assert.Single(added, wasAdded => wasAdded);
        Assert.Single((await store.GetEntriesAsync([address], CancellationToken.None))[0]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Entries_of_different_scopes_accumulate(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        SuppressionEntry[] added =
        [
            new(SuppressionScope.ForTopic("acme", "news"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now),
            new(SuppressionScope.ForTenant("acme"), SuppressionReason.Complaint, SuppressionSource.Arf, Now.AddMinutes(1)),
            new(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Dsn, Now.AddMinutes(2)),
        ];

        foreach (var entry in added)
        {
            Assert.True(await store.AddAsync(address, entry, TestAudit.Any, CancellationToken.None));
        }

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(added, entries[0]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Tenant_scope_is_not_mistaken_for_a_longer_tenant_name(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var longer = new SuppressionEntry(SuppressionScope.ForTenant("acme-eu"), SuppressionReason.Unsubscribe, SuppressionSource.Page, Now);
        var shorter = longer with { Scope = SuppressionScope.ForTenant("acme") };

        Assert.True(await store.AddAsync(address, longer, TestAudit.Any, CancellationToken.None));
        Assert.True(await store.AddAsync(address, shorter, TestAudit.Any, CancellationToken.None));
        Assert.Equal(1, await store.RemoveAsync(address, SuppressionScope.ForTenant("acme"), TestAudit.Any, CancellationToken.None));

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(longer, Assert.Single(entries[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Entries_of_other_scopes_are_kept_on_scoped_remove(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var global = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Manual, SuppressionSource.Api, Now);
        var tenant = new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.Mailto, Now);
        await store.AddAsync(address, global, TestAudit.Any, CancellationToken.None);
        await store.AddAsync(address, tenant, TestAudit.Any, CancellationToken.None);

        Assert.Equal(1, await store.RemoveAsync(address, SuppressionScope.Global, TestAudit.Any, CancellationToken.None));

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(tenant, Assert.Single(entries[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Remove_without_scope_removes_every_entry_and_the_field(string backend)
    {
        var fixture = backends[backend];
        var store = Store(backend);
        var address = TestAddresses.Unique();
        await store.AddAsync(address, new(SuppressionScope.Global, SuppressionReason.Erasure, SuppressionSource.Api, Now), TestAudit.Any, CancellationToken.None);
        await store.AddAsync(address, new(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.Page, Now), TestAudit.Any, CancellationToken.None);

        Assert.Equal(2, await store.RemoveAsync(address, scope: null, TestAudit.Any, CancellationToken.None));

        Assert.Empty((await store.GetEntriesAsync([address], CancellationToken.None))[0]);
        var slot = fixture.Layout.Locate(address);
        Assert.False(await fixture.Connection.GetDatabase().HashExistsAsync(slot.BucketKey, slot.Field));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Removing_an_absent_scope_removes_nothing(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        await store.AddAsync(address, new(SuppressionScope.Global, SuppressionReason.Manual, SuppressionSource.Api, Now), TestAudit.Any, CancellationToken.None);

        Assert.Equal(0, await store.RemoveAsync(address, SuppressionScope.ForTenant("acme"), TestAudit.Any, CancellationToken.None));
        Assert.Equal(0, await store.RemoveAsync(TestAddresses.Unique(), scope: null, TestAudit.Any, CancellationToken.None));
        Assert.Single((await store.GetEntriesAsync([address], CancellationToken.None))[0]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Batch_lookup_returns_entries_in_order_given(string backend)
    {
        var store = Store(backend);
        var addresses = Enumerable.Range(0, 50).Select(i => TestAddresses.Unique("batch" + i)).ToArray();
        var expected = new SuppressionEntry?[addresses.Length];
        for (var i = 0; i < addresses.Length; i += 3)
        {
            expected[i] = new SuppressionEntry(SuppressionScope.ForTenant("t" + i), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now.AddSeconds(i));
            await store.AddAsync(addresses[i], expected[i]!, TestAudit.Any, CancellationToken.None);
        }

        var entries = await store.GetEntriesAsync(addresses, CancellationToken.None);

        Assert.Equal(addresses.Length, entries.Length);
        for (var i = 0; i < addresses.Length; i++)
        {
            Assert.Equal(expected[i] is { } entry ? [entry] : [], entries[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Empty_batch_returns_no_results(string backend)
    {
        Assert.Empty(await Store(backend).GetEntriesAsync([], CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Internationalized_address_is_stored_and_found(string backend)
    {
        var store = Store(backend);
        var address = AddressNormalizer.Normalize($"Jürgen.{Guid.NewGuid():N}@Bücher.example");
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Complaint, SuppressionSource.Arf, Now);

        await store.AddAsync(address, entry, TestAudit.Any, CancellationToken.None);

        var found = await store.GetEntriesAsync([AddressNormalizer.Normalize(address.LocalPart.ToUpperInvariant() + "@BÜCHER.example")], CancellationToken.None);
        Assert.Equal(entry, Assert.Single(found[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Store_is_available_while_server_is_up(string backend)
    {
        Assert.True(await Store(backend).IsAvailableAsync(CancellationToken.None));
    }

    private RedisSuppressionStore Store(string backend) =>
        new(backends[backend].Connection, backends[backend].Layout, TestAudit.Writer(backends[backend].Connection, backends[backend].Layout));
}
