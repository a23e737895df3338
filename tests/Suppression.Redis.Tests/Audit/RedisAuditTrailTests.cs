using System.Net;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Delivery;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Audit;

[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisAuditTrailTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 21, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Backends => RedisBackendsFixture.NamesInEveryFormat;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_unsubscribe_and_a_later_blocked_delivery_are_the_addresss_history_in_order(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = AddressNormalizer.Normalize("Jane+news@Example.org");

        Assert.True(await audit.Store.AddAsync(jane, Unsubscribe(Now), Record(Now, "token") with { Source = SuppressionSource.OneClick, ClientAddress = "192.0.2.7" }, CancellationToken.None));
        await audit.Blocked.RecordAsync([Blocked(jane, Now.AddMinutes(5), "<offer-2@sender.example>")], CancellationToken.None);

        var history = await audit.HistoryAsync(AddressNormalizer.Normalize("jane@example.org"));

        Assert.Collection(
            history,
            unsubscribe =>
            {
                Assert.Equal((AuditEventType.Suppressed, "jane+news@example.org", "one-click", "token", true), (unsubscribe.Type, unsubscribe.Address, unsubscribe.Source, unsubscribe.Actor, unsubscribe.Changed));
                Assert.Equal(("global", "unsubscribe", "192.0.2.7"), (unsubscribe.Scope, unsubscribe.Reason, unsubscribe.ClientAddress));
            },
            blocked =>
            {
                Assert.Equal((AuditEventType.Blocked, "jane+news@example.org", "<offer-2@sender.example>", "news@sender.example"), (blocked.Type, blocked.Address, blocked.MessageId, blocked.Sender));
                Assert.Equal("smtp:192.0.2.10", blocked.Actor);
            });
        Assert.Equal(history[0].AddressHash, history[1].AddressHash);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_request_that_changes_nothing_is_recorded_as_unchanged_and_a_removal_of_nothing_not_at_all(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");

        await audit.Store.AddAsync(jane, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        Assert.False(await audit.Store.AddAsync(jane, Unsubscribe(Now.AddSeconds(1)), Record(Now.AddSeconds(1), "token"), CancellationToken.None));
        Assert.Equal(0, await audit.Store.RemoveAsync(jane, SuppressionScope.ForTenant("acme"), Record(Now.AddSeconds(2), "api-key:admin:1234") with { Type = AuditEventType.Resubscribed }, CancellationToken.None));

        var history = await audit.HistoryAsync(jane);
        Assert.Equal([true, false], history.Select(entry => entry.Changed));
        Assert.Equal([1L, 2L], history.Select(entry => entry.Sequence).Order());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Concurrent_writers_to_one_bucket_leave_one_gapless_chain_that_verifies(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");

        // Twenty scopes of one mailbox: one field, one bucket, one chain, twenty racing writers.
        var added = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            audit.Store.AddAsync(jane, Unsubscribe(Now) with { Scope = SuppressionScope.ForTenant("t" + i) }, Record(Now, "token"), CancellationToken.None)));

        Assert.All(added, Assert.True);
        Assert.Equal(20, (await audit.Store.GetEntriesAsync([jane], CancellationToken.None))[0].Count);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), (await audit.HistoryAsync(jane)).Select(entry => entry.Sequence).Order());
        var verification = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(20, verification.Records);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Editing_one_stored_record_by_hand_makes_verify_name_its_chain_and_sequence(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        await audit.Store.AddAsync(jane, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        await audit.Store.AddAsync(jane, Unsubscribe(Now) with { Scope = SuppressionScope.ForTenant("acme") }, Record(Now, "token"), CancellationToken.None);
        await audit.Store.AddAsync(jane, Unsubscribe(Now) with { Scope = SuppressionScope.ForTenant("globex") }, Record(Now, "token"), CancellationToken.None);
        var chain = audit.ChainsOf(jane).Changes;
        var second = (string)(await audit.Database.ListGetByIndexAsync(chain, 1))!;

        // What someone covering their tracks would do: say the opt-out came from the API instead.
        await audit.Database.ListSetByIndexAsync(chain, 1, second.Replace("\"source\":\"one-click\"", "\"source\":\"api\"", StringComparison.Ordinal));

        var verification = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.False(verification.Ok);
        Assert.Equal(("c-" + audit.Layout.Locate(jane).Bucket, 2L), (verification.FirstBadChain, verification.FirstBadSequence));
        Assert.Contains("edited", verification.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Editing_only_the_clear_address_or_deleting_the_newest_record_is_caught_too(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        await audit.Store.AddAsync(jane, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(jane, Now, "<1@x>"), Blocked(jane, Now.AddSeconds(1), "<2@x>")], CancellationToken.None);
        var changes = audit.ChainsOf(jane).Changes;
        var record = (string)(await audit.Database.ListGetByIndexAsync(changes, 0))!;
        await audit.Database.ListSetByIndexAsync(changes, 0, record.Replace(jane.Value, "someone-else@example.org", StringComparison.Ordinal));

        var edited = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.Equal((false, 1L), (edited.Ok, edited.FirstBadSequence));
        Assert.Contains("clear address", edited.Problem, StringComparison.Ordinal);

        await audit.Database.ListSetByIndexAsync(changes, 0, record);
        await audit.Database.ListRightPopAsync(audit.ChainsOf(jane).Blocked);
        var truncated = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.Equal((false, "d-" + audit.Layout.Locate(jane).Bucket, 2L), (truncated.Ok, truncated.FirstBadChain, truncated.FirstBadSequence));
    }

    // Suppression:Addresses:TagDelimiters=+- moves the address hash of mary-jane-...@ to mary@'s;
    // records hashed before the change must not read as edited.
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Records_hashed_before_the_tag_delimiters_changed_still_verify_after_it(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var mary = TestAddresses.Unique("mary-jane");
        await audit.Store.AddAsync(mary, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(mary, Now.AddSeconds(1), "<1@x>")], CancellationToken.None);
        var rules = AddressVariantRules.Default.WithDefaultSubaddressSeparators("+-");
        var key = new AuditKey(Enumerable.Range(1, AuditKey.SecretLength).Select(i => (byte)i).ToArray(), rules);
        Assert.NotEqual(TestAudit.Key.AddressHash(mary), key.AddressHash(mary));

        var trail = new RedisAuditTrail(audit.Connection, new RedisKeyLayout(audit.Layout.Prefix, rules), key, TimeProvider.System);
        var verification = await trail.VerifyAsync(progress: null, CancellationToken.None);

        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(2, verification.Records);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task After_erasure_the_address_is_nowhere_in_redis_its_mailbox_stays_blocked_and_the_chain_verifies(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = AddressNormalizer.Normalize($"jane.{Guid.NewGuid():N}@gmail.com");
        var variant = AddressNormalizer.Normalize(jane.LocalPart.Replace(".", string.Empty, StringComparison.Ordinal) + "+promo@googlemail.com");
        var bob = TestAddresses.Unique("bob");
        await audit.Store.AddAsync(jane, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        await audit.Store.AddAsync(bob, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(variant, Now.AddMinutes(1), "<1@x>")], CancellationToken.None);

        var result = await audit.Erasure.EraseAsync(jane, Record(Now.AddMinutes(2), "api-key:admin:abcd1234") with { Evidence = "ticket 42" }, CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(variant, Now.AddMinutes(3), "<2@x>")], CancellationToken.None);

        Assert.Equal((TestAudit.Key.AddressHash(jane), 2L), (result.AddressHash, result.Records));
        var dump = await audit.DumpAsync();
        Assert.DoesNotContain(jane.LocalPart, dump, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(variant.LocalPart, dump, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(bob.Value, dump, StringComparison.Ordinal);

        var entry = Assert.Single((await audit.Store.GetEntriesAsync([variant], CancellationToken.None))[0]);
        Assert.Equal((SuppressionReason.Erasure, SuppressionScope.Global), (entry.Reason, entry.Scope));
        Assert.True(entry.Blocks(MessageClass.Transactional));

        var history = await audit.HistoryAsync(jane);
        Assert.Equal([AuditEventType.Suppressed, AuditEventType.Blocked, AuditEventType.Erased, AuditEventType.Blocked], history.Select(record => record.Type));
        Assert.All(history, record => Assert.Null(record.Address));
        Assert.Contains("replaces the global unsubscribe entry", history[2].Evidence, StringComparison.Ordinal);

        var verification = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.True(verification.Ok, verification.Problem);

        var exported = new List<ListedSuppression>();
        await foreach (var listed in audit.List.ExportAsync(CancellationToken.None))
        {
            exported.Add(listed);
        }

        // A hashed store keeps neither address nor hash in the list (the trail keeps the hash).
        var hashed = backends[backend].Format == StorageFormat.Hashed;
        Assert.Contains(exported, listed => listed.Address is null && listed.AddressHash == (hashed ? null : result.AddressHash) && listed.Entry.Reason == SuppressionReason.Erasure);
        Assert.Contains(exported, listed => listed.Address == (hashed ? null : bob.Value) && listed.Entry.Reason == SuppressionReason.Unsubscribe);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Retention_cuts_old_blocked_deliveries_keeps_suppressions_and_a_cut_by_hand_still_shows(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        await audit.Store.AddAsync(jane, Unsubscribe(Now.AddDays(-500)), Record(Now.AddDays(-500), "token"), CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(jane, Now.AddDays(-450), "<old-1@x>")], CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(jane, Now.AddDays(-420), "<old-2@x>")], CancellationToken.None);
        await audit.Blocked.RecordAsync([Blocked(jane, Now.AddDays(-10), "<recent@x>")], CancellationToken.None);

        Assert.Equal(2, await audit.Retention.CutAsync(Now.AddDays(-400), CancellationToken.None));

        Assert.Equal(["<recent@x>"], (await audit.HistoryAsync(jane)).Where(entry => entry.Type == AuditEventType.Blocked).Select(entry => entry.MessageId));
        Assert.Single(await audit.HistoryAsync(jane), entry => entry.Type == AuditEventType.Suppressed);
        var afterCut = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.True(afterCut.Ok, afterCut.Problem);

        await audit.Blocked.RecordAsync([Blocked(jane, Now, "<newest@x>")], CancellationToken.None);
        await audit.Database.ListLeftPopAsync(audit.ChainsOf(jane).Blocked);
        var byHand = await audit.Trail.VerifyAsync(progress: null, CancellationToken.None);
        Assert.Equal((false, 3L), (byHand.Ok, byHand.FirstBadSequence));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_whole_trail_search_filters_by_type_and_time_and_resumes_after_a_cursor(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var addresses = Enumerable.Range(0, 6).Select(i => TestAddresses.Unique("user" + i)).ToList();
        for (var i = 0; i < addresses.Count; i++)
        {
            await audit.Store.AddAsync(addresses[i], Unsubscribe(Now.AddDays(i)), Record(Now.AddDays(i), "token"), CancellationToken.None);
            await audit.Blocked.RecordAsync([Blocked(addresses[i], Now.AddDays(i).AddHours(1), $"<{i}@x>")], CancellationToken.None);
        }

        var blockedFromDay2 = await SearchAsync(audit, new AuditQuery(Types: new HashSet<AuditEventType> { AuditEventType.Blocked }, From: Now.AddDays(2)));
        Assert.Equal(4, blockedFromDay2.Count);
        Assert.All(blockedFromDay2, entry => Assert.Equal(AuditEventType.Blocked, entry.Type));

        var all = await SearchAsync(audit, new AuditQuery());
        var afterThird = await SearchAsync(audit, new AuditQuery(After: all[2].Cursor));
        Assert.Equal(all.Skip(3).Select(entry => entry.Cursor), afterThird.Select(entry => entry.Cursor));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_import_adds_once_never_replaces_and_its_entries_point_to_their_batch(string backend)
    {
        var audit = new AuditTrailScenario(backends[backend]);
        var jane = TestAddresses.Unique("jane");
        var bob = TestAddresses.Unique("bob");
        await audit.Store.AddAsync(bob, Unsubscribe(Now), Record(Now, "token"), CancellationToken.None);
        var bounce = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Import, Now.AddDays(-30));
        (ImportTarget, SuppressionEntry)[] rows = [(jane, bounce), (bob, bounce)];

        var first = await audit.List.ImportAsync(rows, "b-first", CancellationToken.None);
        var second = await audit.List.ImportAsync(rows, "b-second", CancellationToken.None);
        await audit.List.RecordBatchAsync(Record(Now, "api-key:admin:abcd1234") with
        {
            Type = AuditEventType.Imported,
            Batch = "b-first",
            Import = new ImportSummary("sendgrid-bounces", new string('a', 64), 2, 1, 1, 0),
        }, CancellationToken.None);

        Assert.Equal((new ImportCounts(1, 1), new ImportCounts(0, 2)), (first, second));
        Assert.Equal(SuppressionReason.Unsubscribe, Assert.Single((await audit.Store.GetEntriesAsync([bob], CancellationToken.None))[0]).Reason);
        Assert.Equal(bounce, Assert.Single((await audit.Store.GetEntriesAsync([jane], CancellationToken.None))[0]));
        var imported = Assert.Single(await audit.HistoryAsync(jane));
        Assert.Equal((AuditEventType.Imported, "b-first", 2L), (imported.Type, imported.Batch, imported.Import!.Rows));
    }

    private static async Task<List<AuditEntry>> SearchAsync(AuditTrailScenario audit, AuditQuery query)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in audit.Trail.SearchAsync(query, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static SuppressionEntry Unsubscribe(DateTimeOffset time) =>
        new(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()));

    private static AuditRecord Record(DateTimeOffset time, string actor) =>
        new(time, AuditEventType.Suppressed, actor) { Scope = SuppressionScope.Global, Reason = SuppressionReason.Unsubscribe, Source = SuppressionSource.OneClick };

    private static BlockedDelivery Blocked(NormalizedAddress recipient, DateTimeOffset time, string messageId) =>
        new(time, IPAddress.Parse("192.0.2.10"), "news@sender.example", recipient, SuppressionReason.Unsubscribe, SuppressionScope.Global, messageId);
}
