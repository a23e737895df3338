using Suppression.Addresses;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Tests.Layout;

public sealed class RedisKeyLayoutTests
{
    // Pinned: SHA-256("suppression-v1:jane.doe@example.com") = 00b7e3a0a26ef2e595... (computed
    // independently). If this fails, the layout changed and every stored entry would be orphaned.
    [Fact]
    public void Layout_of_an_address_is_stable()
    {
        var slot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("Jane.Doe@Example.COM"));

        Assert.Equal("sup:b:{002df}", slot.BucketKey.ToString());
        Assert.Equal("a0a26ef2e5955397e0ea", Convert.ToHexStringLower((byte[])slot.Field!));
    }

    [Fact]
    public void Mailbox_key_names_the_bucket_and_field_and_leads_back_to_them()
    {
        var slot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("Jane.Doe@Example.COM"));

        var key = RedisKeyLayout.KeyOf(slot.Bucket, slot.Field);
        Assert.True(Suppression.Suppressions.MailboxKey.TryParse(key.ToString(), out var parsed));
        var located = RedisKeyLayout.Default.Locate(parsed);

        Assert.Equal("002df.a0a26ef2e5955397e0ea", key.ToString());
        Assert.Equal((slot.BucketKey, slot.Bucket), (located.BucketKey, located.Bucket));
        Assert.Equal((byte[])slot.Field!, (byte[])located.Field!);
    }

    [Fact]
    public void Audit_chains_share_their_buckets_hash_tag()
    {
        var keys = RedisKeyLayout.Default.ChainKeys("002df");

        Assert.Equal(
            ("sup:b:{002df}", "sup:a:{002df}", "sup:d:{002df}", "sup:h:{002df}"),
            (keys.Bucket.ToString(), keys.Changes.ToString(), keys.Blocked.ToString(), keys.Heads.ToString()));
    }

    [Fact]
    public void Field_is_ten_bytes_whatever_the_address_length()
    {
        var shortSlot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("a@b.example"));
        var longSlot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize(new string('x', 64) + "@" + string.Join('.', Enumerable.Repeat("long-label", 20)) + ".example"));

        Assert.Equal(10, ((byte[])shortSlot.Field!).Length);
        Assert.Equal(10, ((byte[])longSlot.Field!).Length);
    }

    [Fact]
    public void Distinct_addresses_land_in_distinct_fields()
    {
        var slots = Enumerable.Range(0, 20_000)
            .Select(i => RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize($"user{i}@example.org")))
            .Select(slot => slot.BucketKey.ToString() + "/" + Convert.ToHexString((byte[])slot.Field!))
            .ToList();

        Assert.Equal(slots.Count, slots.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Addresses_spread_over_the_buckets()
    {
        var buckets = Enumerable.Range(0, 20_000)
            .Select(i => RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize($"user{i}@example.org")).BucketKey.ToString())
            .Distinct(StringComparer.Ordinal)
            .Count();

        // 20,000 draws from 262,144 buckets leave about 19,250 distinct ones when uniform.
        Assert.InRange(buckets, 19_000, 20_000);
    }

    [Fact]
    public void Bucket_key_is_a_cluster_hash_tag_of_five_hex_digits()
    {
        var key = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("someone@example.net")).BucketKey.ToString();

        Assert.Matches("^sup:b:\\{[0-3][0-9a-f]{4}\\}$", key);
    }

    [Fact]
    public void Equivalent_spellings_of_an_address_share_a_slot()
    {
        var lower = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("jane@bücher.example"));
        var upper = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize("JANE@BÜCHER.EXAMPLE"));

        Assert.Equal(lower.BucketKey, upper.BucketKey);
        Assert.Equal(lower.Field, upper.Field);
    }

    // Pinned: SHA-256("suppression-v1:jdoe@gmail.com") = 0a8fd600aaca3b3b49f0d331ef... (computed
    // independently): every variant is stored under the digest of its match key.
    [Theory]
    [InlineData("jdoe@gmail.com")]
    [InlineData("J.Doe+promo@Gmail.com")]
    [InlineData("jdoe@googlemail.com")]
    [InlineData("j.d.o.e+x+y@GoogleMail.com.")]
    public void Variants_of_a_mailbox_share_the_slot_of_its_match_key(string address)
    {
        var slot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize(address));

        Assert.Equal("sup:b:{02a3f}", slot.BucketKey.ToString());
        Assert.Equal("00aaca3b3b49f0d331ef", Convert.ToHexStringLower((byte[])slot.Field!));
    }

    [Theory]
    [InlineData("john@example.com", "john+x@example.com", true)]
    [InlineData("john+a@example.com", "john+b@example.com", true)]
    [InlineData("john@example.com", "jo.hn@example.com", false)]
    [InlineData("john@example.com", "john-x@example.com", false)]
    public void Sub_address_variants_share_a_slot_and_other_mailboxes_do_not(string first, string second, bool shared)
    {
        static string SlotOf(string address)
        {
            var slot = RedisKeyLayout.Default.Locate(AddressNormalizer.Normalize(address));
            return slot.BucketKey.ToString() + "/" + Convert.ToHexStringLower((byte[])slot.Field!);
        }

        Assert.Equal(shared, SlotOf(first) == SlotOf(second));
    }

    // Pinned: the first 16 bytes of SHA-256("suppression-v1:" + exact address); john@ and john+x@ in
    // one message are two copies, so their members differ although they share a suppression slot.
    [Theory]
    [InlineData("Jane.Doe@Example.COM", "00b7e3a0a26ef2e5955397e0ea95e65c")]
    [InlineData("john@example.com", "f53e76e51f258b4662d0d45f26767081")]
    [InlineData("john+x@example.com", "8cdbb817e2a6c08be1023c2beb85d19e")]
    public void Accepted_copy_member_digests_the_exact_recipient(string recipient, string expectedHex)
    {
        var member = RedisKeyLayout.Default.AcceptedCopyMember(AddressNormalizer.Normalize(recipient));

        Assert.Equal(expectedHex, Convert.ToHexStringLower((byte[])member!));
    }

    [Fact]
    public void Prefix_only_changes_the_key_names()
    {
        var address = AddressNormalizer.Normalize("jane.doe@example.com");
        var slot = new RedisKeyLayout("test:").Locate(address);

        Assert.Equal("test:b:{002df}", slot.BucketKey.ToString());
        Assert.Equal(RedisKeyLayout.Default.Locate(address).Field, slot.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sup:{x}:")]
    public void Prefix_that_would_break_hash_tags_is_refused(string prefix)
    {
        Assert.ThrowsAny<ArgumentException>(() => new RedisKeyLayout(prefix));
    }
}
