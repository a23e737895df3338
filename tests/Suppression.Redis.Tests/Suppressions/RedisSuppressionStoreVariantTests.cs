using Suppression.Addresses;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

// An opt-out of one variant of a mailbox covers all variants (docs/design.md, consent model).
[Collection(RedisBackendsDefinition.Name)]
public sealed class RedisSuppressionStoreVariantTests(RedisBackendsFixture backends)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    public static TheoryData<string> Backends => RedisBackendsFixture.Names;

    // The example of issue 4. The fixture's key prefix is fresh per run, so the literal address is safe.
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Opt_out_of_a_gmail_variant_stops_mail_to_every_spelling_of_the_mailbox(string backend)
    {
        var store = Store(backend);
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

        Assert.True(await store.AddAsync(AddressNormalizer.Normalize("J.Doe+promo@Gmail.com"), entry, TestAudit.Any, CancellationToken.None));

        string[] variants = ["jdoe@googlemail.com", "jdoe@gmail.com", "j.d.o.e@gmail.com", "JDoe+other@GoogleMail.com", "J.Doe+promo@Gmail.com"];
        var found = await store.GetEntriesAsync([.. variants.Select(AddressNormalizer.Normalize)], CancellationToken.None);
        Assert.All(found, entries => Assert.Equal(entry, Assert.Single(entries)));

        var single = await store.GetEntriesAsync([AddressNormalizer.Normalize("jdoe@googlemail.com")], CancellationToken.None);
        Assert.Equal(entry, Assert.Single(single[0]));

        string[] others = ["jdoe@example.com", "jdoex@gmail.com", "j.doe@outlook.com"];
        var notFound = await store.GetEntriesAsync([.. others.Select(AddressNormalizer.Normalize)], CancellationToken.None);
        Assert.All(notFound, entries => Assert.Empty(entries));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Sub_address_variants_share_entries_and_a_dotted_spelling_does_not(string backend)
    {
        var store = Store(backend);
        var user = "john" + Guid.NewGuid().ToString("N")[..12];
        var plain = AddressNormalizer.Normalize($"{user}@example.com");
        var tagged = AddressNormalizer.Normalize($"{user}+x@example.com");
        var dotted = AddressNormalizer.Normalize($"{user[..2]}.{user[2..]}@example.com");
        var global = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.Page, Now);
        var tenant = new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Complaint, SuppressionSource.Arf, Now.AddMinutes(1));

        Assert.True(await store.AddAsync(plain, global, TestAudit.Any, CancellationToken.None));
        Assert.True(await store.AddAsync(tagged, tenant, TestAudit.Any, CancellationToken.None));
        Assert.False(await store.AddAsync(tagged, global, TestAudit.Any, CancellationToken.None));

        var entries = await store.GetEntriesAsync([plain, tagged, dotted], CancellationToken.None);
        Assert.Equal([global, tenant], entries[0]);
        Assert.Equal([global, tenant], entries[1]);
        Assert.Empty(entries[2]);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Internationalized_domain_variants_share_entries(string backend)
    {
        var store = Store(backend);
        var user = "jürgen" + Guid.NewGuid().ToString("N")[..12];
        var entry = new SuppressionEntry(SuppressionScope.ForTopic("acme", "news"), SuppressionReason.Unsubscribe, SuppressionSource.Mailto, Now);

        await store.AddAsync(AddressNormalizer.Normalize($"{user}+news@Bücher.example"), entry, TestAudit.Any, CancellationToken.None);

        var found = await store.GetEntriesAsync([AddressNormalizer.Normalize($"{user.ToUpperInvariant()}@xn--bcher-kva.example")], CancellationToken.None);
        Assert.Equal(entry, Assert.Single(found[0]));
    }

    // Re-consent is for the mailbox too: entries are shared, so any variant removes them.
    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Removing_through_another_variant_removes_the_mailbox_entry(string backend)
    {
        var store = Store(backend);
        var user = "jane" + Guid.NewGuid().ToString("N")[..12];
        var added = AddressNormalizer.Normalize($"{user}+a@example.com");
        var entry = new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);
        await store.AddAsync(added, entry, TestAudit.Any, CancellationToken.None);

        Assert.Equal(1, await store.RemoveAsync(AddressNormalizer.Normalize($"{user}+b@example.com"), SuppressionScope.ForTenant("acme"), TestAudit.Any, CancellationToken.None));

        Assert.Empty((await store.GetEntriesAsync([added], CancellationToken.None))[0]);
    }

    private RedisSuppressionStore Store(string backend) =>
        new(backends[backend].Connection, backends[backend].Layout, TestAudit.Writer(backends[backend].Connection, backends[backend].Layout));
}
