using System.Text;
using Suppression.Addresses;
using Suppression.Testing.Fuzzing;

namespace Suppression.Core.Tests.Addresses;

// Every address the gateway sees (envelope, API, import, feedback report) goes through
// TryNormalize, so it must answer any text without throwing, and its output must be a fixed
// point: the canonical form normalizes to itself and keeps its match key, or one mailbox would be
// stored under one key and looked up under another.
public sealed class AddressNormalizerFuzzTests
{
    private static readonly string[] LocalParts =
    [
        "john.doe", "John.Doe", "a", "user+tag", "!#$%&'*+-/=?^_`{|}~", "\"john doe\"", "\"a\\\"b\"", "\"a@b\"", "\".a\"",
        "\"\"", "r\u00e9my", "re\u0301my", "\u7528\u6237", "\u0394\u039F\u039A\u0399\u039C\u0389", "STRASSE", "stra\u00DFe",
        "J\u030Cones", "\u0130stanbul", "\u212Aelvin", "a.b.c", ".a", "a.", "a..b", new string('x', 64), new string('x', 65),
        new string('\u00E9', 32), new string('\u00E9', 33),
    ];

    private static readonly string[] Domains =
    [
        "example.com", "Example.COM", "gmail.com", "googlemail.com", "proton.me", "pm.me", "b\u00FCcher.example",
        "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE", "cafe\u0301.example", "\u4F8B\u5B50.\u5E7F\u544A", "example.com.",
        "example\u3002com", "example\uFF0Ecom", "[192.0.2.1]", "[IPv6:2001:db8::1]", "[IPv6:::ffff:192.0.2.1]", "[010.0.0.1]",
        "[IPv6:fe80::1%eth0]", "localhost", "-bad-.example", "a_b.example", "xn--.example", "xn--a.example",
        new string('a', 63) + ".example", new string('a', 64) + ".example", string.Join('.', Enumerable.Repeat(new string('d', 60), 5)),
    ];

    private static readonly string[] Tokens = [.. LocalParts, .. Domains, "@", "<", ">", "\"", "\\", "."];

    [Fact]
    public Task Any_text_is_answered_without_an_exception_and_the_canonical_form_is_a_fixed_point() =>
        Fuzz.RunAsync(defaultSeed: 5321, defaultIterations: 20_000, Generate, AssertNormalizesToAFixedPoint);

    public static TheoryData<string> FoundByFuzzing => new()
    {
        // No precomposed capital J with caron exists, but the small one does (U+01F0): folding
        // case after NFC left "j\u030C", which a second pass composed, so the two spellings of one
        // mailbox had different keys.
        "J\u030C@example.com",

        // Capital I with dot above and a dot below compose to a capital I with dot below (U+1ECA)
        // and a dot above: lower-casing before NFC left that capital for a second pass to fold.
        "\u0130\u0323@e",

        // Gmail ignores dots, so the key of "e.\u0301" put the mark straight after the "e": not
        // NFC, so not the key of the same mailbox written "\u00E9".
        "e.\u0301@gmail.com",
        "a.\u0301@pM.mE",

        // IDNA maps a full-width full stop to '.' (RFC 3490 3.1) and drops a soft hyphen, so both
        // can leave a root dot; it was kept ("e.") where an ASCII one is dropped.
        "\"\"@e\uFF0E",
        "\"\"@m.\u00AD",
        "e@e.\uFEFF",
        "n@e.\u200B",
    };

    [Theory]
    [MemberData(nameof(FoundByFuzzing))]
    public void Inputs_found_by_fuzzing_normalize_to_a_fixed_point(string address) => AssertNormalizesToAFixedPoint(address);

    [Fact]
    public void Capital_and_small_j_with_caron_are_one_mailbox()
    {
        Assert.Equal("\u01F0@example.com", AddressNormalizer.Normalize("J\u030C@example.com").Value);
        Assert.Equal(AddressNormalizer.Normalize("\u01F0@example.com"), AddressNormalizer.Normalize("J\u030C@example.com"));
    }

    [Fact]
    public void Capital_i_with_dot_above_and_dot_below_is_folded_to_small()
    {
        Assert.Equal("\u1ECB\u0307@example.com", AddressNormalizer.Normalize("\u0130\u0323@example.com").Value);
        Assert.Equal(AddressNormalizer.Normalize("\u1ECB\u0307@example.com"), AddressNormalizer.Normalize("\u0130\u0323@example.com"));
    }

    [Fact]
    public void A_mark_after_an_ignored_dot_keys_as_its_composed_letter() =>
        Assert.Equal(AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize("\u00E9@gmail.com")), AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize("e.\u0301@gmail.com")));

    [Theory]
    [InlineData("a@example.com\uFF0E")]
    [InlineData("a@example.com\u3002")]
    [InlineData("a@example.com\uFF61")]
    [InlineData("a@example\u3002com")]
    [InlineData("a@example.com.\u00AD")]
    public void A_root_dot_that_appears_only_after_idna_mapping_is_dropped(string address) =>
        Assert.Equal("a@example.com", AddressNormalizer.Normalize(address).Value);

    [Theory]
    [InlineData("a@example.com\uFF0E.")]
    [InlineData("a@example.com.\u00AD.")]
    [InlineData("a@example\u3002\u3002com")]
    [InlineData("a@\uFF0Eexample.com")]
    [InlineData("a@\u3002")]
    [InlineData("a@\u00AD")]
    public void Idna_mapping_cannot_make_an_empty_label(string address) =>
        Assert.False(AddressNormalizer.TryNormalize(address, out _, out _));

    private static string Generate(FuzzRandom random)
    {
        if (random.Chance(0.25))
        {
            return random.Text(300);
        }

        var address = random.Pick(LocalParts) + "@" + random.Pick(Domains);
        if (random.Chance(0.2))
        {
            address = "<" + address + ">";
        }

        return random.Chance(0.7) ? random.Mutate(address, Tokens) : address;
    }

    private static void AssertNormalizesToAFixedPoint(string text)
    {
        if (!AddressNormalizer.TryNormalize(text, out var normalized, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error), "a refusal without a reason");
            return;
        }

        Assert.Equal(string.Empty, error);
        Assert.InRange(Encoding.UTF8.GetByteCount(normalized.LocalPart), 1, 64);
        Assert.InRange(normalized.Domain.Length, 1, 255);

        Assert.True(AddressNormalizer.TryNormalize(normalized.Value, out var again, out error), $"{Fuzz.Literal(normalized.Value)} does not normalize: {error}");
        Assert.Equal(Fuzz.Literal(normalized.Value), Fuzz.Literal(again.Value));
        Assert.Equal(normalized, again);

        var matchKey = AddressVariantRules.Default.MatchKeyOf(normalized);
        Assert.Equal(matchKey, AddressVariantRules.Default.MatchKeyOf(again));

        // A key that is itself an address (not every one is: "a.+tag" keys as "a.") is its own key.
        if (AddressNormalizer.TryNormalize(matchKey, out var keyAddress, out _))
        {
            Assert.Equal(Fuzz.Literal(matchKey), Fuzz.Literal(AddressVariantRules.Default.MatchKeyOf(keyAddress)));
        }
    }
}
