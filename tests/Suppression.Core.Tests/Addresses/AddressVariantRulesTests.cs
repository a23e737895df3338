using Suppression.Addresses;

namespace Suppression.Core.Tests.Addresses;

public class AddressVariantRulesTests
{
    // Address as written -> the match key every variant of its mailbox shares (docs/design.md, consent model).
    public static TheoryData<string, string> MatchKeys => new()
    {
        // Gmail: dots do not count, googlemail.com is gmail.com, '+' starts a tag.
        { "J.Doe+promo@Gmail.com", "jdoe@gmail.com" },
        { "jdoe@googlemail.com", "jdoe@gmail.com" },
        { "JDOE@GOOGLEMAIL.COM", "jdoe@gmail.com" },
        { "j.d.o.e@gmail.com", "jdoe@gmail.com" },
        { "jdoe@gmail.com", "jdoe@gmail.com" },
        { "j.doe+news.letter@googlemail.com", "jdoe@gmail.com" },
        { "jdoe+@gmail.com", "jdoe@gmail.com" },
        { "jdoe+a+b@gmail.com", "jdoe@gmail.com" },
        { "\"J.Doe\"@gmail.com", "jdoe@gmail.com" },
        { "\"j.doe+promo\"@googlemail.com", "jdoe@gmail.com" },
        { "jdoe+promo@gmail.com.", "jdoe@gmail.com" },

        // Rows match whole domains: a subdomain or a look-alike is an ordinary domain.
        { "j.doe+x@mail.gmail.com", "j.doe@mail.gmail.com" },
        { "j.doe@gmail.co", "j.doe@gmail.co" },

        // Proton: '.', '_' and '-' do not count, and its four domains are one.
        { "John_Doe-1.x+news@ProtonMail.com", "johndoe1x@proton.me" },
        { "johndoe1x@pm.me", "johndoe1x@proton.me" },
        { "john.doe@protonmail.ch", "johndoe@proton.me" },
        { "_@proton.me", "_@proton.me" },
        { "-+tag@proton.me", "-@proton.me" },

        // Other providers: '+' tags, dots count, each domain its own.
        { "J.Doe+shop@Outlook.com", "j.doe@outlook.com" },
        { "j.doe@hotmail.com", "j.doe@hotmail.com" },
        { "j.doe+x@live.com", "j.doe@live.com" },
        { "j.doe+x@icloud.com", "j.doe@icloud.com" },
        { "j.doe+x@me.com", "j.doe@me.com" },
        { "j.doe+x@mac.com", "j.doe@mac.com" },
        { "j.doe+x@fastmail.com", "j.doe@fastmail.com" },
        { "x@j.doe.fastmail.com", "x@j.doe.fastmail.com" },

        // Yahoo: '-' marks a disposable address of another base name, not a tag.
        { "jdoe-shop@yahoo.com", "jdoe-shop@yahoo.com" },
        { "jdoe+shop@yahoo.com", "jdoe@yahoo.com" },

        // Every other domain: '+' tags only; dots and '-' are part of the mailbox.
        { "john+x@example.com", "john@example.com" },
        { "John+X@Example.COM", "john@example.com" },
        { "john@example.com", "john@example.com" },
        { "jo.hn@example.com", "jo.hn@example.com" },
        { "jo.hn+x@example.com", "jo.hn@example.com" },
        { "john-x@example.com", "john-x@example.com" },
        { "a+b+c@example.com", "a@example.com" },

        // A tag is never all there is: the cut would leave an empty local part.
        { "+tag@example.com", "+tag@example.com" },
        { "+@example.com", "+@example.com" },
        { "++@example.com", "++@example.com" },
        { "+a+b@example.com", "+a+b@example.com" },
        { "+promo@gmail.com", "+promo@gmail.com" },

        // IDN: a U-label and its A-label are one domain; the local part is NFC and lower case.
        { "Jürgen+news@Bücher.example", "jürgen@xn--bcher-kva.example" },
        { "jürgen@XN--BCHER-KVA.example", "jürgen@xn--bcher-kva.example" },
        { "re\u0301my+x@example.com", "r\u00e9my@example.com" },
        { "用户+标签@例子.广告", "用户@xn--fsqu00a.xn--4rr70v" },

        // Quoted local parts get the rules on their content, as a mail server reads it once the quotes
        // are gone (Postfix delivers "alice+promo x"@ to alice); the key is quoted only where it must be.
        { "\"alice+promo x\"@example.com", "alice@example.com" },
        { "\"alice+ \"@example.com", "alice@example.com" },
        { "\"Alice+\\\"x\\\"\"@example.com", "alice@example.com" },
        { "\"john doe+x\"@example.com", "\"john doe\"@example.com" },
        { "\"j. doe+x\"@googlemail.com", "\"j doe\"@gmail.com" },
        { "\"a@b+c\"@example.com", "\"a@b\"@example.com" },
        { "\"john+x\"@example.com", "john@example.com" },

        // A quoted local part without a tag keeps the key it always had.
        { "\"john doe\"@example.com", "\"john doe\"@example.com" },
        { "\"+x y\"@example.com", "\"+x y\"@example.com" },
        { "\"a..b\"@example.com", "\"a..b\"@example.com" },

        // Address literals (RFC 5321 4.1.3) take the default rule.
        { "user+x@[192.0.2.1]", "user@[192.0.2.1]" },
        { "User+X@[IPv6:2001:DB8::1]", "user@[ipv6:2001:db8::1]" },
        { "us.er@[192.0.2.1]", "us.er@[192.0.2.1]" },
    };

    // Pairs that are one mailbox, and pairs that are two.
    public static TheoryData<string, string> SameMailbox => new()
    {
        { "J.Doe+promo@Gmail.com", "jdoe@googlemail.com" },
        { "john@example.com", "john+x@example.com" },
        { "john+a@example.com", "john+b@example.com" },
        { "user@bücher.example", "user+x@xn--bcher-kva.example" },
        { "j-o-h-n@pm.me", "john+x@protonmail.com" },
        { "\"alice+promo x\"@example.com", "alice@example.com" },
        { "\"john doe+x\"@example.com", "\"john doe+y\"@example.com" },
    };

    public static TheoryData<string, string> OtherMailbox => new()
    {
        { "john@example.com", "jo.hn@example.com" },
        { "john@example.com", "john-x@example.com" },
        { "jdoe@outlook.com", "jdoe@hotmail.com" },
        { "jdoe@icloud.com", "jdoe@me.com" },
        { "jdoe@gmail.com", "jdoe@example.com" },
        { "jdoe@yahoo.com", "jdoe-shop@yahoo.com" },
        { "+tag@example.com", "+other@example.com" },
        { "\"john doe\"@example.com", "\"john.doe\"@example.com" },
    };

    [Theory]
    [MemberData(nameof(MatchKeys))]
    public void Match_key_follows_the_rules_of_the_domain(string input, string expected)
    {
        var address = AddressNormalizer.Normalize(input);

        Assert.Equal(expected, AddressVariantRules.Default.MatchKeyOf(address));
    }

    [Theory]
    [MemberData(nameof(MatchKeys))]
    public void Match_key_is_a_normalized_address_that_is_its_own_match_key(string input, string expected)
    {
        _ = input;

        var key = AddressNormalizer.Normalize(expected);

        Assert.Equal(expected, key.Value);
        Assert.Equal(expected, AddressVariantRules.Default.MatchKeyOf(key));
    }

    [Theory]
    [MemberData(nameof(SameMailbox))]
    public void Variants_of_one_mailbox_share_a_match_key(string first, string second)
    {
        Assert.Equal(AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize(first)), AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize(second)));
    }

    [Theory]
    [MemberData(nameof(OtherMailbox))]
    public void Different_mailboxes_keep_different_match_keys(string first, string second)
    {
        Assert.NotEqual(AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize(first)), AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize(second)));
    }

    [Fact]
    public void Value_stays_the_address_as_normalized()
    {
        var address = AddressNormalizer.Normalize("J.Doe+promo@GoogleMail.com");

        Assert.Equal("j.doe+promo@googlemail.com", address.Value);
        Assert.Equal("j.doe+promo@googlemail.com", address.ToString());
        Assert.Equal("jdoe@gmail.com", AddressVariantRules.Default.MatchKeyOf(address));
    }

    [Fact]
    public void A_table_of_its_own_applies_its_rows_and_its_default()
    {
        var rules = new AddressVariantRules("-", [new("mail.example", IgnoredCharacters: "_", SubaddressSeparators: "+=") { AliasDomains = ["xn--bcher-kva.example"] }]);

        Assert.Equal("ab@mail.example", rules.MatchKeyOf(AddressNormalizer.Normalize("a_b=x@Bücher.example")));
        Assert.Equal("a-b@mail.example", rules.MatchKeyOf(AddressNormalizer.Normalize("a-b+x@mail.example")));
        Assert.Equal("a+b@other.example", rules.MatchKeyOf(AddressNormalizer.Normalize("a+b-c@other.example")));
    }

    [Fact]
    public void A_table_without_a_default_separator_keeps_tags_elsewhere()
    {
        var rules = new AddressVariantRules(string.Empty, []);

        Assert.Equal("john+x@example.com", rules.MatchKeyOf(AddressNormalizer.Normalize("john+x@example.com")));
    }

    // Keyed by description: xUnit serializes theory rows, and a rule is not serializable.
    private static readonly Dictionary<string, AddressVariantRule> InvalidRowsByDescription = new(StringComparer.Ordinal)
    {
        ["U-label domain"] = new("bücher.example", "", "+"),
        ["upper-case domain"] = new("Gmail.com", "", "+"),
        ["root dot"] = new("gmail.com.", "", "+"),
        ["empty domain"] = new("", "", "+"),
        ["invalid domain"] = new("exa mple.com", "", "+"),
        ["U-label alias"] = new("gmail.com", "", "+") { AliasDomains = ["bücher.example"] },
        ["domain twice"] = new("gmail.com", "", "+") { AliasDomains = ["gmail.com"] },
        ["dot as separator"] = new("example.com", "", "."),
        ["letter as separator"] = new("example.com", "", "x"),
        ["quote as separator"] = new("example.com", "", "\""),
        ["letter ignored"] = new("example.com", "e", "+"),
        ["ignored separator"] = new("example.com", "+", "+"),
    };

    public static TheoryData<string> InvalidRows => [.. InvalidRowsByDescription.Keys];

    [Theory]
    [MemberData(nameof(InvalidRows))]
    public void Invalid_row_is_refused_when_the_table_is_built(string description)
    {
        var row = InvalidRowsByDescription[description];

        var exception = Assert.ThrowsAny<ArgumentException>(() => new AddressVariantRules("+", [row]));

        Assert.False(string.IsNullOrWhiteSpace(exception.Message), description);
    }

    [Fact]
    public void A_domain_in_two_rows_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AddressVariantRules("+",
        [
            new("gmail.com", ".", "+") { AliasDomains = ["googlemail.com"] },
            new("googlemail.com", "", "+"),
        ]));
    }

    [Fact]
    public void Invalid_default_separator_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AddressVariantRules(".", []));
    }

    [Fact]
    public void Configured_tag_delimiters_apply_where_no_provider_row_does()
    {
        var rules = AddressVariantRules.Default.WithDefaultSubaddressSeparators("+-");

        Assert.Equal("alice@example.com", rules.MatchKeyOf(AddressNormalizer.Normalize("alice-promo@example.com")));
        Assert.Equal("alice@example.com", rules.MatchKeyOf(AddressNormalizer.Normalize("alice+promo@example.com")));
        Assert.Equal("alice@example.com", rules.MatchKeyOf(AddressNormalizer.Normalize("\"alice-promo x\"@example.com")));
        Assert.Equal("jdoe-shop@yahoo.com", rules.MatchKeyOf(AddressNormalizer.Normalize("jdoe-shop@yahoo.com")));
        Assert.Equal("jdoe@gmail.com", rules.MatchKeyOf(AddressNormalizer.Normalize("j.doe+x@googlemail.com")));
        Assert.Equal(AddressVariantRules.Default.Rules, rules.Rules);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("+-")]
    [InlineData("=")]
    public void Tag_delimiters_from_atext_are_valid(string delimiters) =>
        Assert.True(AddressVariantRules.AreValidSubaddressSeparators(delimiters, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("+.")]
    [InlineData("x")]
    [InlineData("+ ")]
    [InlineData("\"")]
    public void Tag_delimiters_outside_atext_or_none_are_refused_with_a_reason(string? delimiters)
    {
        Assert.False(AddressVariantRules.AreValidSubaddressSeparators(delimiters, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Default_table_lists_each_provider_domain_once()
    {
        var domains = AddressVariantRules.Default.Rules.SelectMany(rule => rule.AliasDomains.Prepend(rule.Domain)).ToList();

        Assert.Equal(domains.Count, domains.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("googlemail.com", domains);
        Assert.Equal("+", AddressVariantRules.Default.DefaultSubaddressSeparators);
    }
}
