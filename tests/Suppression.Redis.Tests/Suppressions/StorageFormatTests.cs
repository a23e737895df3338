using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Audit;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

// The move from text to compact values on a live store: writers follow the marker, the upgrade
// converts what is there without losing an entry, an address, an erasure or a batch, and a marker
// from a later version stops writes instead of risking them. Each test has a prefix of its own
// (AuditTrailScenario), so the whole-store passes see only its data.
[Collection(RedisBackendsDefinition.Name)]
public sealed class StorageFormatTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Writers_switch_to_compact_on_their_next_write_after_the_marker(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        await scenario.Store.AddAsync(jane, Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None);
        Assert.Equal(StorageFormat.Text, BucketValue.FormatOf(await RawAsync(scenario, jane)));

        await StorageFormatMarker.SetAsync(scenario.Database, scenario.Layout, StorageFormat.Compact);
        await scenario.Store.AddAsync(jane, Opt(SuppressionScope.ForTenant("acme")), TestAudit.Any, CancellationToken.None);
        var bob = TestAddresses.Unique("bob");
        await scenario.Store.AddAsync(bob, Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None);

        Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(await RawAsync(scenario, jane)));
        Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(await RawAsync(scenario, bob)));
        Assert.Equal([Opt(SuppressionScope.Global), Opt(SuppressionScope.ForTenant("acme"))], (await scenario.Store.GetEntriesAsync([jane], CancellationToken.None))[0]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Upgrade_converts_every_value_and_the_list_reads_the_same(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        var (addresses, erased) = await SeedAsync(scenario, 40, "b-00112233aabbccdd");
        var exportBefore = await ExportAsync(scenario);
        var lookupsBefore = await scenario.Store.GetEntriesAsync(addresses, CancellationToken.None);

        var upgrade = new RedisStorageUpgrade(scenario.Connection, scenario.Layout);
        var first = await upgrade.RunAsync(StorageFormat.Compact, CancellationToken.None);
        var again = await upgrade.RunAsync(StorageFormat.Compact, CancellationToken.None);

        Assert.Equal(new StorageUpgradeResult(StorageFormat.Compact, 40, 40, 0, 0, 0), first);
        Assert.Equal(new StorageUpgradeResult(StorageFormat.Compact, 40, 0, 40, 0, 0), again);
        foreach (var address in addresses)
        {
            Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(await RawAsync(scenario, address)));
        }

        Assert.Equal(exportBefore, await ExportAsync(scenario));
        Assert.Contains(exportBefore, row => row.AddressHash == erased.AddressHash && row.Address is null);
        Assert.Equal(lookupsBefore, await scenario.Store.GetEntriesAsync(addresses, CancellationToken.None));
        Assert.Contains(await scenario.HistoryAsync(addresses[30]), entry => entry.Batch == "b-00112233aabbccdd");
        Assert.True((await scenario.Trail.VerifyAsync(null, CancellationToken.None)).Ok);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Opt_outs_made_while_the_upgrade_runs_are_all_kept(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        var addresses = Enumerable.Range(0, 200).Select(i => TestAddresses.Unique("race" + i)).ToArray();
        await Task.WhenAll(addresses.Select(address => scenario.Store.AddAsync(address, Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None)));

        // The adds race the upgrade's compare-and-set on the same fields; neither may undo the other.
        var upgrade = new RedisStorageUpgrade(scenario.Connection, scenario.Layout).RunAsync(StorageFormat.Compact, CancellationToken.None);
        await Task.WhenAll(addresses.Select(address => scenario.Store.AddAsync(address, Opt(SuppressionScope.ForTenant("acme")), TestAudit.Any, CancellationToken.None)));
        var result = await upgrade;

        Assert.Equal(200, result.Mailboxes);
        Assert.Equal(200, result.Converted + result.AlreadyInFormat);
        var entries = await scenario.Store.GetEntriesAsync(addresses, CancellationToken.None);
        Assert.All(entries, found => Assert.Equal([Opt(SuppressionScope.Global), Opt(SuppressionScope.ForTenant("acme"))], found));
        foreach (var address in addresses)
        {
            Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(await RawAsync(scenario, address)));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Import_into_a_compact_store_adds_once_and_merges_with_other_scopes(string backend)
    {
        var scenario = await CompactScenarioAsync(backend);
        var jane = TestAddresses.Unique("jane");
        var bob = TestAddresses.Unique("bob");
        await scenario.Store.AddAsync(bob, Opt(SuppressionScope.ForTenant("acme")), TestAudit.Any, CancellationToken.None);
        var imported = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.Import, Now);

        var first = await scenario.List.ImportAsync([(jane, imported), (bob, imported)], "b-0123456789abcdef", CancellationToken.None);
        var second = await scenario.List.ImportAsync([(jane, imported), (bob, imported)], "b-fedcba9876543210", CancellationToken.None);

        Assert.Equal((new ImportCounts(2, 0), new ImportCounts(0, 2)), (first, second));
        Assert.Equal([Opt(SuppressionScope.ForTenant("acme")), imported], (await scenario.Store.GetEntriesAsync([bob], CancellationToken.None))[0]);
        var exported = await ExportAsync(scenario);
        Assert.Contains(new ListedSuppression(jane.Value, TestAudit.Key.AddressHash(jane), imported, "b-0123456789abcdef", KeyOf(scenario, jane)), exported);
        Assert.Contains(new ListedSuppression(bob.Value, TestAudit.Key.AddressHash(bob), imported, "b-0123456789abcdef", KeyOf(scenario, bob)), exported);
        Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(await RawAsync(scenario, bob)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Import_batches_are_numbered_in_the_store_and_cost_an_entry_one_byte(string backend)
    {
        var scenario = await CompactScenarioAsync(backend);
        var other = new RedisSuppressionList(scenario.Connection, scenario.Layout, scenario.Writer);

        var batches = new[] { await scenario.List.NewBatchAsync(CancellationToken.None), await other.NewBatchAsync(CancellationToken.None), await scenario.List.NewBatchAsync(CancellationToken.None) };
        var jane = TestAddresses.Unique("jane");
        var imported = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Import, Now);
        await scenario.List.ImportAsync([(jane, imported)], batches[1], CancellationToken.None);
        await scenario.List.RecordBatchAsync(TestAudit.Any with { Type = AuditEventType.Imported, Batch = batches[1] }, CancellationToken.None);

        Assert.Equal(["b-1", "b-2", "b-3"], batches);
        Assert.Equal(6 + 1 + 1 + jane.Value.Length, ((byte[])(await RawAsync(scenario, jane))!).Length);
        Assert.Contains(await scenario.HistoryAsync(jane), entry => entry.Batch == "b-2");
        Assert.True((await scenario.Trail.VerifyAsync(null, CancellationToken.None)).Ok);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_marker_from_a_later_version_refuses_writes_but_not_lookups(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        await scenario.Store.AddAsync(jane, Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None);
        await scenario.Database.StringSetAsync(scenario.Layout.FormatKey, "4");

        Assert.IsType<UnknownStorageFormatException>((await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => scenario.Store.AddAsync(jane, Opt(SuppressionScope.ForTenant("acme")), TestAudit.Any, CancellationToken.None))).InnerException);
        Assert.IsType<UnknownStorageFormatException>((await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => scenario.List.ImportAsync([(jane, Opt(SuppressionScope.ForTenant("acme")))], "b-0123456789abcdef", CancellationToken.None))).InnerException);
        await Assert.ThrowsAsync<UnknownStorageFormatException>(() => StorageFormatMarker.InitializeAsync(scenario.Connection, scenario.Layout));

        Assert.Equal(Opt(SuppressionScope.Global), Assert.Single((await scenario.Store.GetEntriesAsync([jane], CancellationToken.None))[0]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_store_never_written_to_starts_compact_and_one_with_data_waits_for_the_upgrade(string backend)
    {
        var fresh = new AuditTrailScenario(backends[backend]);
        var used = new AuditTrailScenario(backends[backend]);
        await used.Store.AddAsync(TestAddresses.Unique(), Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None);

        Assert.Equal(StorageFormat.Compact, await StorageFormatMarker.InitializeAsync(fresh.Connection, fresh.Layout));
        Assert.Equal(StorageFormat.Text, await StorageFormatMarker.InitializeAsync(used.Connection, used.Layout));

        Assert.Equal("2", (string?)await fresh.Database.StringGetAsync(fresh.Layout.FormatKey));
        Assert.False(await used.Database.KeyExistsAsync(used.Layout.FormatKey));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Upgrade_to_hashed_drops_every_address_and_the_list_reads_the_same(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        var (addresses, _) = await SeedAsync(scenario, 30, "b-7");
        var upgrade = new RedisStorageUpgrade(scenario.Connection, scenario.Layout);

        // Half the store compact first, as a store upgraded earlier would be.
        await upgrade.RunAsync(StorageFormat.Compact, CancellationToken.None);
        var exportBefore = await ExportAsync(scenario);
        var lookupsBefore = await scenario.Store.GetEntriesAsync(addresses, CancellationToken.None);
        var result = await upgrade.RunAsync(StorageFormat.Hashed, CancellationToken.None);

        Assert.Equal(new StorageUpgradeResult(StorageFormat.Hashed, 30, 30, 0, 0, 0), result);
        Assert.Equal(StorageFormat.Hashed, await StorageFormatMarker.ReadAsync(scenario.Database, scenario.Layout));
        Assert.Equal(lookupsBefore, await scenario.Store.GetEntriesAsync(addresses, CancellationToken.None));
        Assert.Equal(exportBefore.Select(row => row with { Address = null, AddressHash = null }).ToHashSet(), await ExportAsync(scenario));
        foreach (var address in addresses)
        {
            var raw = (byte[])(await RawAsync(scenario, address))!;
            Assert.DoesNotContain(address.LocalPart, System.Text.Encoding.Latin1.GetString(raw), StringComparison.Ordinal);
        }

        // An imported global entry of batch b-7: 1 byte of codes and flag, 4 of time, 1 of batch.
        Assert.Equal(6, ((byte[])(await RawAsync(scenario, addresses[20]))!).Length);
        Assert.Contains(await scenario.HistoryAsync(addresses[20]), entry => entry.Batch == "b-7");
        Assert.True((await scenario.Trail.VerifyAsync(null, CancellationToken.None)).Ok);
        Assert.Equal(new StorageUpgradeResult(StorageFormat.Hashed, 30, 0, 30, 0, 0), await upgrade.RunAsync(StorageFormat.Hashed, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_hashed_store_is_never_moved_back_and_its_writers_keep_no_address(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        Assert.Equal(StorageFormat.Hashed, await StorageFormatMarker.InitializeAsync(scenario.Connection, scenario.Layout, StorageFormat.Hashed));
        var jane = TestAddresses.Unique("jane");
        var bob = TestAddresses.Unique("bob");
        await scenario.Store.AddAsync(jane, Opt(SuppressionScope.Global), TestAudit.Any, CancellationToken.None);
        await scenario.List.ImportAsync([(bob, Opt(SuppressionScope.ForTenant("acme")))], "b-1", CancellationToken.None);

        var downgrade = await Assert.ThrowsAsync<StorageDowngradeException>(() => new RedisStorageUpgrade(scenario.Connection, scenario.Layout).RunAsync(StorageFormat.Compact, CancellationToken.None));

        Assert.Contains("hashed", downgrade.Message, StringComparison.Ordinal);
        Assert.Equal("3", (string?)await scenario.Database.StringGetAsync(scenario.Layout.FormatKey));
        Assert.Equal(5, ((byte[])(await RawAsync(scenario, jane))!).Length);
        Assert.Equal(6 + 5 + 1, ((byte[])(await RawAsync(scenario, bob))!).Length);
        Assert.Equal(Opt(SuppressionScope.Global), Assert.Single((await scenario.Store.GetEntriesAsync([jane], CancellationToken.None))[0]));
        var exported = await ExportAsync(scenario);
        Assert.Contains(new ListedSuppression(null, null, Opt(SuppressionScope.Global), null, KeyOf(scenario, jane)), exported);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Rows_imported_by_mailbox_key_suppress_the_mailbox_and_keep_an_erased_hash(string backend)
    {
        var scenario = await CompactScenarioAsync(backend);
        var jane = TestAddresses.Unique("jane");
        var bob = TestAddresses.Unique("bob");
        var bounce = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Import, Now);

        var carol = TestAddresses.Unique("carol");
        var erasure = bounce with { Reason = SuppressionReason.Erasure };

        var counts = await scenario.List.ImportAsync(
            [(ImportTarget.ByKey(KeyOf(scenario, jane), "9f2c0011aabbccdd"), bounce), (ImportTarget.ByKey(KeyOf(scenario, bob), null), bounce),
             (ImportTarget.ByKey(KeyOf(scenario, carol), null), erasure)], "b-1", CancellationToken.None);

        Assert.Equal(new ImportCounts(3, 0), counts);
        Assert.All(await scenario.Store.GetEntriesAsync([jane, bob], CancellationToken.None), entries => Assert.Equal(bounce, Assert.Single(entries)));
        var exported = await ExportAsync(scenario);
        Assert.Contains(new ListedSuppression(null, "9f2c0011aabbccdd", bounce, "b-1", KeyOf(scenario, jane)), exported);
        Assert.Contains(new ListedSuppression(null, null, bounce, "b-1", KeyOf(scenario, bob)), exported);

        // An erasure entry without a hash (a hashed store's export): the mailbox stays erased, so a
        // later record about it keeps its address out even when the caller knew it.
        Assert.True(BucketValue.Parse(await RawAsync(scenario, carol)).IsErased);
        await scenario.Blocked.RecordAsync([new Suppression.Delivery.BlockedDelivery(Now, System.Net.IPAddress.Loopback, "news@sender.example", carol, SuppressionReason.Erasure, SuppressionScope.Global, "<1@x>")], CancellationToken.None);
        Assert.DoesNotContain(carol.LocalPart, await scenario.DumpAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_marker_only_moves_forward(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        async Task<StorageFormat> AdvanceAsync(StorageFormat format) => await StorageFormatMarker.AdvanceAsync(scenario.Database, scenario.Layout, format);

        Assert.Equal(StorageFormat.Compact, await AdvanceAsync(StorageFormat.Compact));
        Assert.Equal(StorageFormat.Hashed, await AdvanceAsync(StorageFormat.Hashed));
        Assert.Equal(StorageFormat.Hashed, await AdvanceAsync(StorageFormat.Compact));
        Assert.Equal("3", (string?)await scenario.Database.StringGetAsync(scenario.Layout.FormatKey));

        await scenario.Database.StringSetAsync(scenario.Layout.FormatKey, "4");
        await Assert.ThrowsAsync<UnknownStorageFormatException>(() => AdvanceAsync(StorageFormat.Hashed));
        Assert.Equal("4", (string?)await scenario.Database.StringGetAsync(scenario.Layout.FormatKey));
    }

    // A scenario whose store is marked compact from the start, as a new store is.
    private async Task<AuditTrailScenario> CompactScenarioAsync(string backend)
    {
        var scenario = new AuditTrailScenario(backends[backend]);
        await StorageFormatMarker.SetAsync(scenario.Database, scenario.Layout, StorageFormat.Compact);
        return scenario;
    }

    // A store with each kind of value an upgrade meets: the first third opted out of a topic, every
    // mailbox given an imported global bounce of the batch (merged into those), the fourth erased.
    private static async Task<(NormalizedAddress[] Addresses, ErasureResult Erased)> SeedAsync(AuditTrailScenario scenario, int count, string batch)
    {
        var addresses = Enumerable.Range(0, count).Select(i => TestAddresses.Unique("u" + i)).ToArray();
        foreach (var address in addresses[..(count / 3)])
        {
            await scenario.Store.AddAsync(address, Opt(SuppressionScope.ForTopic("acme", "news")), TestAudit.Any, CancellationToken.None);
        }

        var bounce = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Import, Now.AddDays(-9));
        await scenario.List.ImportAsync([.. addresses.Select(address => ((ImportTarget)address, bounce))], batch, CancellationToken.None);
        await scenario.List.RecordBatchAsync(TestAudit.Any with { Type = AuditEventType.Imported, Batch = batch }, CancellationToken.None);
        return (addresses, await scenario.Erasure.EraseAsync(addresses[3], TestAudit.Any, CancellationToken.None));
    }

    private static MailboxKey KeyOf(AuditTrailScenario scenario, NormalizedAddress address)
    {
        var slot = scenario.Layout.Locate(address);
        return RedisKeyLayout.KeyOf(slot.Bucket, slot.Field);
    }

    private static SuppressionEntry Opt(SuppressionScope scope) => new(scope, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

    private static async Task<RedisValue> RawAsync(AuditTrailScenario scenario, NormalizedAddress address)
    {
        var slot = scenario.Layout.Locate(address);
        return await scenario.Database.HashGetAsync(slot.BucketKey, slot.Field);
    }

    private static async Task<HashSet<ListedSuppression>> ExportAsync(AuditTrailScenario scenario)
    {
        var rows = new HashSet<ListedSuppression>();
        await foreach (var row in scenario.List.ExportAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
