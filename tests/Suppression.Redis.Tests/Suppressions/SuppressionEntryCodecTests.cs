using Suppression.Redis.Suppressions;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Suppressions;

public sealed class SuppressionEntryCodecTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_732_300_000);

    [Fact]
    public void Entry_is_encoded_with_contract_names()
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.Api, Time);

        Assert.Equal("global\tunsubscribe\tapi\t1732300000", SuppressionEntryCodec.Encode(entry));
    }

    [Fact]
    public void Multi_word_reasons_and_sources_use_their_hyphenated_names()
    {
        var entry = new SuppressionEntry(SuppressionScope.ForTopic("acme", "news"), SuppressionReason.HardBounce, SuppressionSource.OneClick, Time);

        Assert.Equal("topic:acme/news\thard-bounce\tone-click\t1732300000", SuppressionEntryCodec.Encode(entry));
    }

    [Fact]
    public void Every_reason_source_and_scope_kind_round_trips()
    {
        var scopes = new[] { SuppressionScope.Global, SuppressionScope.ForTenant("acme"), SuppressionScope.ForTopic("acme", "news") };
        var entries = (
            from reason in Enum.GetValues<SuppressionReason>()
            from source in Enum.GetValues<SuppressionSource>()
            from scope in scopes
            select new SuppressionEntry(scope, reason, source, Time)).ToList();

        var encoded = string.Join(SuppressionEntryCodec.EntrySeparator, entries.Select(entry => SuppressionEntryCodec.Encode(entry)));

        Assert.Equal(entries, SuppressionEntryCodec.Decode(encoded));
    }

    [Fact]
    public void Time_is_kept_to_the_second()
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Manual, SuppressionSource.Api, Time.AddMilliseconds(999));

        var decoded = Assert.Single(SuppressionEntryCodec.Decode(SuppressionEntryCodec.Encode(entry)));

        Assert.Equal(Time, decoded.CreatedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_value_decodes_to_no_entries(string? value)
    {
        Assert.Empty(SuppressionEntryCodec.Decode(value));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("global\tunsubscribe\tapi")]
    [InlineData("global\tbored\tapi\t1732300000")]
    [InlineData("global\tunsubscribe\tcarrier-pigeon\t1732300000")]
    [InlineData("planet:earth\tunsubscribe\tapi\t1732300000")]
    [InlineData("\tunsubscribe\tapi\t1732300000")]
    [InlineData("global\tunsubscribe\tapi\tyesterday")]
    [InlineData("global\tunsubscribe\tapi\t99999999999999999")]
    [InlineData("global\tUnsubscribe\tapi\t1732300000")]
    public void Unreadable_lines_are_skipped_and_the_rest_kept(string unreadable)
    {
        var value = "tenant:acme\tcomplaint\tarf\t1732300000\n" + unreadable + "\nglobal\tmanual\tapi\t1732300001";

        var entries = SuppressionEntryCodec.Decode(value);

        Assert.Equal(
            [
                new SuppressionEntry(SuppressionScope.ForTenant("acme"), SuppressionReason.Complaint, SuppressionSource.Arf, Time),
                new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Manual, SuppressionSource.Api, Time.AddSeconds(1)),
            ],
            entries);
    }

    [Fact]
    public void Fields_added_by_a_later_version_are_ignored()
    {
        var entries = SuppressionEntryCodec.Decode("global\tunsubscribe\tapi\t1732300000\tactor=jane\tnote with spaces");

        Assert.Equal(new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.Api, Time), Assert.Single(entries));
    }

    [Fact]
    public void Scope_prefix_ends_with_the_field_separator()
    {
        Assert.Equal("tenant:acme\t", SuppressionEntryCodec.ScopePrefix(SuppressionScope.ForTenant("acme")));
    }
}
