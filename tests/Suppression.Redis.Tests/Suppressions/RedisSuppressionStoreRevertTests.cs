using Suppression.Audit;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

/// <summary>Reverting one add by its record: only while that record is the newest of the mailbox about the scope.</summary>
[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisSuppressionStoreRevertTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);
    private static readonly SuppressionEntry TenantUnsubscribe = new(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

    public static TheoryData<string> Backends => RedisBackendsFixture.NamesInEveryFormat;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_add_is_located_in_the_mailboxs_chain_and_reverted_while_nothing_newer_asks_for_its_scope(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var added = await store.AddAndLocateAsync(address, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None);
        Assert.NotNull(added);
        Assert.Equal("c-" + backends[backend].Layout.Locate(address).Bucket, added.Chain);
        Assert.Null(await store.AddAndLocateAsync(address, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None));

        // The repeated add above is newer and asks for the same scope.
        Assert.Equal(RevertOutcome.Superseded, await store.RevertAsync(address, TenantUnsubscribe.Scope, added, Resubscribed, CancellationToken.None));
        Assert.Single((await store.GetEntriesAsync([address], CancellationToken.None))[0]);

        var other = TestAddresses.Unique();
        var otherAdded = await store.AddAndLocateAsync(other, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None);
        await store.AddAsync(other, TenantUnsubscribe with { Scope = SuppressionScope.Global }, Suppressed(SuppressionScope.Global), CancellationToken.None);

        // A newer record of another scope does not stand in the way.
        Assert.Equal(RevertOutcome.Reverted, await store.RevertAsync(other, TenantUnsubscribe.Scope, otherAdded!, Resubscribed, CancellationToken.None));
        Assert.Equal(SuppressionScope.Global, Assert.Single((await store.GetEntriesAsync([other], CancellationToken.None))[0]).Scope);
        Assert.Equal(RevertOutcome.NothingToRevert, await store.RevertAsync(other, TenantUnsubscribe.Scope, otherAdded!, Resubscribed, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_record_of_another_chain_reverts_nothing(string backend)
    {
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var added = await store.AddAndLocateAsync(address, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None);

        Assert.Equal(
            RevertOutcome.NothingToRevert,
            await store.RevertAsync(address, TenantUnsubscribe.Scope, added! with { Chain = added.Chain == "c-00000" ? "c-00001" : "c-00000" }, Resubscribed, CancellationToken.None));
        Assert.Single((await store.GetEntriesAsync([address], CancellationToken.None))[0]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_newer_record_is_found_even_when_the_chain_is_not_where_its_sequence_says(string backend)
    {
        var fixture = backends[backend];
        var store = Store(backend);
        var address = TestAddresses.Unique();
        var added = await store.AddAndLocateAsync(address, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None);

        await store.AddAsync(address, TenantUnsubscribe, Suppressed(TenantUnsubscribe.Scope), CancellationToken.None);

        // The chain's first record gone (a cut by hand): sequence n is no longer at index n - 1, and
        // reading from the index the sequence names would skip the newer record.
        await fixture.Connection.GetDatabase().ListLeftPopAsync(fixture.Layout.ChainKeys(fixture.Layout.Locate(address).Bucket).Changes);

        Assert.Equal(RevertOutcome.Superseded, await store.RevertAsync(address, TenantUnsubscribe.Scope, added!, Resubscribed, CancellationToken.None));
    }

    // As every caller writes them: naming the scope asked for.
    private static AuditRecord Suppressed(SuppressionScope scope) => new(DateTimeOffset.UtcNow, AuditEventType.Suppressed, "test") { Scope = scope };

    private static AuditRecord Resubscribed => new(DateTimeOffset.UtcNow, AuditEventType.Resubscribed, "test") { Scope = TenantUnsubscribe.Scope };

    private RedisSuppressionStore Store(string backend) =>
        new(backends[backend].Connection, backends[backend].Layout, TestAudit.Writer(backends[backend].Connection, backends[backend].Layout));
}
