using System.Text;
using StackExchange.Redis;
using Suppression.Redis.Suppressions;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

public sealed class CompactValueCodecTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    [Fact]
    public void Global_opt_out_takes_six_bytes_and_the_address_one_more()
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, Now);

        Assert.True(CompactValueCodec.TryEncode([new StoredEntry(entry, null)], [], null, null, shortEntries: false, out var bare));
        Assert.True(CompactValueCodec.TryEncode([new StoredEntry(entry, null)], [], "jane@example.com", null, shortEntries: false, out var withAddress));

        Assert.Equal(6, bare.Length);
        Assert.Equal(6 + 1 + "jane@example.com".Length, withAddress.Length);
        Assert.Equal(entry, Assert.Single(Entries(withAddress)));
    }

    [Fact]
    public void Every_scope_reason_source_and_batch_round_trips()
    {
        var entries = new List<StoredEntry>();
        var scopes = new[] { SuppressionScope.Global, SuppressionScope.ForTenant("acme-1.eu"), SuppressionScope.ForTopic("acme", "news_letter") };
        var reasons = Enum.GetValues<SuppressionReason>();
        var sources = Enum.GetValues<SuppressionSource>();
        for (var i = 0; i < reasons.Length * sources.Length; i++)
        {
            var entry = new SuppressionEntry(scopes[i % scopes.Length], reasons[i % reasons.Length], sources[i / reasons.Length], Now.AddSeconds(i));
            var batch = (i % 4) switch { 0 => null, 1 => "b-0123456789abcdef", 2 => "b-" + (i * 997), _ => "legacy batch " + i };
            entries.Add(new StoredEntry(entry, batch));
        }

        Assert.True(CompactValueCodec.TryEncode(entries, [], "jürgen@bücher.example", null, shortEntries: false, out var value));

        var decoded = new List<StoredEntry>();
        Assert.True(CompactValueCodec.TryDecode(value, decoded, [], out var address, out var erased));
        Assert.Equal(entries, decoded);
        Assert.Equal("jürgen@bücher.example", address);
        Assert.Null(erased);
    }

    // Found by the fuzz run: source relay (code 8) in a short hashed entry spilled into the reason's
    // bits, so a first-hand hard bounce read back as another reason and source.
    [Fact]
    public void Every_reason_and_source_of_a_global_entry_round_trips_in_the_hashed_format()
    {
        var entries = (from reason in Enum.GetValues<SuppressionReason>()
                       from source in Enum.GetValues<SuppressionSource>()
                       select new StoredEntry(new SuppressionEntry(SuppressionScope.Global, reason, source, Now), null)).ToList();

        Assert.True(CompactValueCodec.TryEncode(entries, [], null, null, shortEntries: true, out var value));

        var decoded = new List<StoredEntry>();
        Assert.True(CompactValueCodec.TryDecode(value, decoded, [], out _, out _));
        Assert.Equal(entries, decoded);
    }

    [Theory]
    [InlineData("b-1", 7)]
    [InlineData("b-127", 7)]
    [InlineData("b-128", 8)]
    [InlineData("b-16383", 8)]
    [InlineData("b-16384", 9)]
    [InlineData("b-999999999999999999", 15)]
    [InlineData("b-0123456789abcdef", 14)]
    [InlineData("b-007", 6 + 1 + 5)]
    [InlineData("b-0", 6 + 1 + 3)]
    [InlineData("b-1000000000000000000", 6 + 1 + 21)]
    public void Batch_names_take_their_shortest_form_and_read_back_unchanged(string batch, int length)
    {
        var entry = new StoredEntry(new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Import, SuppressionSource.Import, Now), batch);

        Assert.True(CompactValueCodec.TryEncode([entry], [], null, null, shortEntries: false, out var value));

        Assert.Equal(length, value.Length);
        var decoded = new List<StoredEntry>();
        Assert.True(CompactValueCodec.TryDecode(value, decoded, [], out _, out _));
        Assert.Equal(entry, Assert.Single(decoded));
    }

    [Fact]
    public void Erased_mailbox_keeps_its_hash_and_no_address()
    {
        var entry = new StoredEntry(new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Erasure, SuppressionSource.Api, Now), null);

        Assert.True(CompactValueCodec.TryEncode([entry], [], "jane@example.com", "9f2c0011aabbccdd", shortEntries: false, out var value));

        var decoded = new List<StoredEntry>();
        Assert.True(CompactValueCodec.TryDecode(value, decoded, [], out var address, out var erased));
        Assert.Null(address);
        Assert.Equal("9f2c0011aabbccdd", erased);
        Assert.DoesNotContain("jane", Encoding.UTF8.GetString(value), StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_with_codes_this_version_does_not_know_fails_the_lookup_closed_and_survives_a_rewrite()
    {
        var global = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Dsn, Now);
        var tenant = global with { Scope = SuppressionScope.ForTenant("acme") };
        Assert.True(CompactValueCodec.TryEncode([new StoredEntry(global, null), new StoredEntry(tenant, null)], [], "jane@example.com", null, shortEntries: false, out var value));
        value[1] = 0xF1; // the global entry's reason code: 15, which no version has yet

        // Deciding on the tenant entry alone could deliver what the unknown global entry stops.
        Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(value));

        var parsed = BucketValue.Parse(value);
        Assert.Equal([tenant], parsed.Entries);
        parsed.TryAdd(global with { Scope = SuppressionScope.ForTopic("acme", "news") });
        var rewritten = parsed.Format(StorageFormat.Text);
        Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(rewritten));
        Assert.Equal(3, BucketValue.Parse(rewritten).Count);
        Assert.Equal("jane@example.com", BucketValue.Parse(rewritten).Address);
        Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(rewritten));
    }

    [Fact]
    public void Value_cut_short_is_never_decided_on_nor_rewritten()
    {
        var first = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Complaint, SuppressionSource.Arf, Now);
        var second = new SuppressionEntry(SuppressionScope.ForTopic("acme", "news"), SuppressionReason.Unsubscribe, SuppressionSource.Page, Now);
        Assert.True(CompactValueCodec.TryEncode([new StoredEntry(first, null), new StoredEntry(second, "b-0123456789abcdef")], [], null, null, shortEntries: false, out var value));

        for (var length = 1; length < value.Length; length++)
        {
            if (length == 6)
            {
                continue; // the first entry whole and nothing after it: a valid value
            }

            var cut = value[..length];
            Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(cut));
            Assert.Throws<UnreadableEntryException>(() => BucketValue.Parse(cut));
        }
    }

    [Fact]
    public void Text_value_with_a_line_this_version_cannot_read_fails_the_lookup_closed()
    {
        const string text = "global\tunsubscribe\tapi\t1732300000\ntenant:acme\tsome-future-reason\tapi\t1732300000";

        Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(text));
        Assert.Single(BucketValue.ReadEntries("@jane@example.com\n\nglobal\tunsubscribe\tapi\t1732300000\tb-1\textra-field"));
    }

    [Theory]
    [InlineData(1900)]
    [InlineData(2200)]
    public void Opt_out_dated_outside_1970_to_2106_keeps_its_value_text_and_its_date(int year)
    {
        var odd = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.Import, new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var value = BucketValue.Parse(RedisValue.Null);
        value.TryAdd(odd);

        Assert.False(CompactValueCodec.TryEncode([new StoredEntry(odd, null)], [], null, null, shortEntries: false, out _));
        var written = value.Format(StorageFormat.Compact);
        Assert.Equal(StorageFormat.Text, BucketValue.FormatOf(written));
        Assert.Equal(odd, Assert.Single(BucketValue.ReadEntries(written)));
    }

    [Theory]
    [InlineData("@jane@example.com\nglobal\tunsubscribe\tapi\t1732300000")]
    [InlineData("#9f2c\nglobal\terasure\tapi\t1732300000")]
    [InlineData("global\tunsubscribe\tapi\t1732300000")]
    [InlineData("tenant:acme\tunsubscribe\tapi\t1732300000")]
    [InlineData("topic:acme/news\tunsubscribe\tapi\t1732300000")]
    public void A_text_value_is_never_taken_for_a_compact_one(string text)
    {
        Assert.False(CompactValueCodec.IsCompact(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(StorageFormat.Text, BucketValue.FormatOf(text));
    }

    [Fact]
    public void Text_value_converts_to_compact_with_everything_it_held()
    {
        const string text = "@jane@example.com\nglobal\thard-bounce\timport\t1732300000\tb-0123456789abcdef\ntenant:acme\tunsubscribe\tone-click\t1732300001";
        var parsed = BucketValue.Parse(text);

        var compact = parsed.Format(StorageFormat.Compact);
        var converted = BucketValue.Parse(compact);

        Assert.Equal(StorageFormat.Compact, BucketValue.FormatOf(compact));
        Assert.True(((byte[])compact!).Length < Encoding.UTF8.GetByteCount(text) / 2 + 20);
        Assert.Equal(parsed.StoredEntries, converted.StoredEntries);
        Assert.Equal("jane@example.com", converted.Address);
        Assert.Equal(BucketValue.ReadEntries(text), BucketValue.ReadEntries(compact));
        Assert.Equal(text, (string?)converted.Format(StorageFormat.Text));
    }

    [Fact]
    public void Text_value_with_a_line_this_version_cannot_read_stays_text()
    {
        // Perhaps an entry of a later version: dropping it to save bytes could deliver to someone who opted out.
        const string text = "@jane@example.com\nglobal\tunsubscribe\tapi\t1732300000\ttenant:acme\tsome-future-reason\tapi\t1732300000";
        var value = BucketValue.Parse(text.Replace("\ttenant:", "\ntenant:", StringComparison.Ordinal));

        var written = value.Format(StorageFormat.Compact);

        Assert.Equal(StorageFormat.Text, BucketValue.FormatOf(written));
        Assert.Contains("some-future-reason", (string?)written, StringComparison.Ordinal);
        Assert.True(value.HasScope(SuppressionScope.ForTenant("acme")));
    }

    [Fact]
    public void Batch_name_too_long_for_a_length_byte_stays_text()
    {
        var value = BucketValue.Parse(RedisValue.Null);
        value.TryAdd(new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Import, SuppressionSource.Import, Now), new string('b', 300));

        Assert.Equal(StorageFormat.Text, BucketValue.FormatOf(value.Format(StorageFormat.Compact)));
    }

    private static IReadOnlyList<SuppressionEntry> Entries(byte[] value)
    {
        Assert.True(CompactValueCodec.TryDecodeEntries(value, out var entries));
        return entries;
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("b-1", 6)]
    [InlineData("b-127", 6)]
    [InlineData("b-128", 7)]
    public void Hashed_global_entry_takes_five_bytes_and_a_numbered_batch_its_number(string? batch, int length)
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Import, Now);
        var value = BucketValue.Parse(RedisValue.Null);
        value.TryAdd(entry, batch);
        value.RememberAddress(Addresses.AddressNormalizer.Normalize("jane@example.com"));

        var written = (byte[])value.Format(StorageFormat.Hashed)!;

        Assert.Equal(length, written.Length);
        Assert.Equal(0x80 | (batch is null ? 0 : 0x40) | (3 << 3) | 5, written[0]);
        Assert.Equal(1_732_300_000u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(written.AsSpan(1, 4)));
        var read = BucketValue.Parse(written);
        Assert.Equal([new StoredEntry(entry, batch)], read.StoredEntries);
        Assert.Null(read.Address);
        Assert.Equal(entry, Assert.Single(BucketValue.ReadEntries(written)));
    }

    [Fact]
    public void Hashed_value_keeps_the_long_form_where_the_short_one_cannot_say_it_and_of_an_erased_address_only_that_it_was()
    {
        var entries = new List<StoredEntry>
        {
            new(new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Unsubscribe, SuppressionSource.Page, Now), null),
            new(new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Complaint, SuppressionSource.Arf, Now), "b-0123456789abcdef"),
            new(new SuppressionEntry(SuppressionScope.ForTopic("acme", "news"), SuppressionReason.Manual, SuppressionSource.Api, Now), "b-9"),
        };
        var value = BucketValue.Parse(RedisValue.Null);
        foreach (var (entry, batch) in entries)
        {
            value.TryAdd(entry, batch);
        }

        value.Erase("9f2c0011aabbccdd");

        var written = (byte[])value.Format(StorageFormat.Hashed)!;

        Assert.DoesNotContain("9f2c0011aabbccdd", Encoding.Latin1.GetString(written), StringComparison.Ordinal);
        var read = BucketValue.Parse(written);
        Assert.Equal(entries, read.StoredEntries);
        Assert.True(read.IsErased);
        Assert.Equal(string.Empty, read.ErasedHash);
        Assert.Equal(CompactValueCodec.ErasedTag, written[^1]);
        Assert.Equal(entries.Select(stored => stored.Entry), BucketValue.ReadEntries(written));

        // The global entry's random (hex) batch needs the long form, as the other scopes do.
        Assert.Equal(6 + 1 + 4 + (6 + 8) + (6 + 1 + 4 + 1 + 4 + 1) + 1, written.Length);
    }

    [Fact]
    public void Short_entry_with_a_code_this_version_does_not_know_fails_the_lookup_and_is_kept()
    {
        var known = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.FromUnixTimeSeconds(0x67421779));
        byte[] future = [0x80 | (7 << 3) | 1, 0x67, 0x42, 0x17, 0x79];
        byte[] value = [(byte)(0x80 | (1 << 3) | 1), 0x67, 0x42, 0x17, 0x79, .. future];

        Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(value));
        var parsed = BucketValue.Parse(value);
        Assert.Equal(known, Assert.Single(parsed.StoredEntries).Entry);
        Assert.Equal(value, (byte[])parsed.Format(StorageFormat.Hashed)!);

        // Under an earlier marker the known entry takes the long form; the unknown one keeps its bytes.
        var compact = (byte[])parsed.Format(StorageFormat.Text)!;
        Assert.Equal(future, compact[^future.Length..]);
        Assert.Equal(known, Assert.Single(BucketValue.Parse(compact).StoredEntries).Entry);
    }

    [Fact]
    public void Short_entry_cut_short_is_damage()
    {
        byte[] whole = [0x80 | 0x40 | (5 << 3) | 5, 0x67, 0x42, 0x17, 0x79, 0x81, 0x01];
        Assert.Single(BucketValue.ReadEntries(whole));
        for (var length = 1; length < whole.Length; length++)
        {
            var cut = whole[..length];
            Assert.Throws<UnreadableEntryException>(() => BucketValue.ReadEntries(cut));
            Assert.Throws<UnreadableEntryException>(() => BucketValue.Parse(cut));
        }
    }
}
