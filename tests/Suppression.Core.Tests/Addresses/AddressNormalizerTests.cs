using Suppression.Addresses;

namespace Suppression.Core.Tests.Addresses;

public class AddressNormalizerTests
{
    // Input as written -> the one canonical form (docs/design.md, consent model).
    public static TheoryData<string, string> Canonical => new()
    {
        // Case folding of both parts.
        { "john.doe@example.com", "john.doe@example.com" },
        { "John.Doe@Example.COM", "john.doe@example.com" },
        { "USER+Tag@EXAMPLE.ORG", "user+tag@example.org" },
        { "!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com" },

        // Surrounding whitespace and the angle brackets of an envelope path.
        { "  user@example.com  ", "user@example.com" },
        { "<user@example.com>", "user@example.com" },
        { "  <User@Example.com>  ", "user@example.com" },
        { "\t<User@Example.COM>\r\n", "user@example.com" },

        // IDN: U-labels become A-labels (RFC 6531 3.3, IDNA2008); A-labels stay as they are.
        { "user@bücher.example", "user@xn--bcher-kva.example" },
        { "user@xn--bcher-kva.example", "user@xn--bcher-kva.example" },
        { "user@XN--BCHER-KVA.EXAMPLE", "user@xn--bcher-kva.example" },
        { "user@BÜCHER.Example", "user@xn--bcher-kva.example" },
        { "user@BüCher.example", "user@xn--bcher-kva.example" },
        { "user@cafe\u0301.example", "user@xn--caf-dma.example" },

        // The local part is NFC: a decomposed e + U+0301 is the precomposed é.
        { "re\u0301my@example.com", "r\u00e9my@example.com" },
        { "r\u00e9my@example.com", "r\u00e9my@example.com" },
        { "RE\u0301MY@example.com", "r\u00e9my@example.com" },

        // Quoted local parts (RFC 5321 4.1.2): quotes go where they add nothing, stay where needed.
        { "\"john.doe\"@example.com", "john.doe@example.com" },
        { "\"John.Doe\"@Example.com", "john.doe@example.com" },
        { "\"john\\.doe\"@example.com", "john.doe@example.com" },
        { "\"a\\b\"@example.com", "ab@example.com" },
        { "\"john doe\"@example.com", "\"john doe\"@example.com" },
        { "\"John Doe\"@example.com", "\"john doe\"@example.com" },
        { "\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com" },
        { "\"a\\\\b\"@example.com", "\"a\\\\b\"@example.com" },
        { "\"a@b\"@example.com", "\"a@b\"@example.com" },
        { "\"a..b\"@example.com", "\"a..b\"@example.com" },
        { "\".a\"@example.com", "\".a\"@example.com" },

        // SMTPUTF8 local parts (RFC 6531 3.3) with IDN domains.
        { "用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v" },
        { "δοκιμή@παράδειγμα.δοκιμή", "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp" },
        { "ΔΟΚΙΜΉ@παράδειγμα.δοκιμή", "δοκιμή@xn--hxajbheg2az3al.xn--jxalpdlp" },
        { "\"用户 名\"@例子.广告", "\"用户 名\"@xn--fsqu00a.xn--4rr70v" },

        // Address literals (RFC 5321 4.1.3); the IPv6 form is compressed and lower-cased.
        { "user@[192.0.2.1]", "user@[192.0.2.1]" },
        { "user@[IPv6:2001:db8::1]", "user@[ipv6:2001:db8::1]" },
        { "user@[IPv6:2001:DB8:0:0:0:0:0:1]", "user@[ipv6:2001:db8::1]" },
        { "user@[ipv6:2001:db8::1]", "user@[ipv6:2001:db8::1]" },

        // The root dot of a fully qualified domain does not make another mailbox.
        { "user@example.com.", "user@example.com" },
        { "user@bücher.example.", "user@xn--bcher-kva.example" },

        // Exactly 64 octets of local part is the limit (RFC 5321 4.5.3.1.1), counted in UTF-8.
        { new string('a', 64) + "@example.com", new string('a', 64) + "@example.com" },
        { new string('\u00e9', 32) + "@example.com", new string('\u00e9', 32) + "@example.com" },

        // RFC 5321 4.1.3 Snum is decimal: a leading zero is not octal.
        { "user@[010.0.0.1]", "user@[10.0.0.1]" },
    };

    // Each of these must be refused with a reason, never normalized and never thrown.
    public static TheoryData<string, string?> Rejected => new()
    {
        { "null", null },
        { "empty", "" },
        { "whitespace only", "   \t " },
        { "no @", "user.example.com" },
        { "null reverse-path", "<>" },
        { "empty local part", "@example.com" },
        { "empty domain", "user@" },
        { "only @", "@" },
        { "two unquoted @", "a@b@example.com" },
        { "double dot", "a..b@example.com" },
        { "leading dot", ".a@example.com" },
        { "trailing dot", "a.@example.com" },
        { "space in dot-atom", "john doe@example.com" },
        { "space inside brackets", "< user@example.com >" },
        { "doubled brackets", "<<user@example.com>>" },
        { "unclosed bracket", "<user@example.com" },
        { "unclosed quote", "\"abc@example.com" },
        { "quote closed only", "abc\"@example.com" },
        { "quote inside dot-atom", "a\"b\"@example.com" },
        { "RFC 5322 obsolete quoted words", "\"a\".\"b\"@example.com" },
        { "unescaped quote in quoted string", "\"a\"b\"@example.com" },
        { "escaped closing quote", "\"abc\\\"@example.com" },
        { "NUL in local part", "a\0b@example.com" },
        { "NUL in quoted local part", "\"a\0b\"@example.com" },
        { "NUL in domain", "user@exa\0mple.com" },
        { "tab in local part", "a\tb@example.com" },
        { "CRLF inside", "a@example.com\r\nRCPT TO:<b@example.net>" },
        { "escaped control char", "\"a\\\u0001\"@example.com" },
        { "DEL in local part", "a\u007fb@example.com" },
        { "C1 control in local part", "a\u0085b@example.com" },
        { "65-octet local part", new string('a', 65) + "@example.com" },
        { "65-octet UTF-8 local part", new string('\u00e9', 32) + "a@example.com" },
        { "leading hyphen label", "a@-x.com" },
        { "trailing hyphen label", "a@x-.com" },
        { "underscore in label", "a@x_y.com" },
        { "space in domain", "a@exa mple.com" },
        { "leading dot in domain", "a@.example.com" },
        { "empty label", "a@example..com" },
        { "label over 63 octets", "a@" + new string('b', 64) + ".com" },
        { "domain over 255 octets", "a@" + string.Join('.', Enumerable.Repeat(new string('b', 63), 5)) },
        { "invalid punycode A-label", "a@xn--zz.example" },
        { "IPv4 literal octet over 255", "a@[300.1.1.1]" },
        { "IPv4 literal with three parts", "a@[127.1]" },
        { "IPv6 literal without the IPv6 tag", "a@[2001:db8::1]" },
        { "IPv4 literal with the IPv6 tag", "a@[IPv6:192.0.2.1]" },
        { "unclosed literal", "a@[192.0.2.1" },
        { "empty literal", "a@[]" },

        { "two trailing dots (empty label)", "a@example.com.." },
        { "hex IPv4 literal", "a@[0x7f.0.0.1]" },
        { "IPv6 literal with a zone id", "a@[IPv6:fe80::1%1]" },
        { "IPv6 literal with an interface name", "a@[IPv6:fe80::1%eth0]" },
        { "IPv6 literal with brackets and port", "a@[IPv6:[::1]:25]" },
        { "C1 control in quoted local part", "\"a\u0085b\"@example.com" },
    };

    // Kept out of the theory rows: xUnit serializes theory data and turns a lone surrogate into U+FFFD.
    [Fact]
    public void Lone_surrogate_is_rejected_not_thrown()
    {
        foreach (var input in new[] { "a\uD800@example.com", "\"a\uDC00\"@example.com", "a@ex\uD800ample.com" })
        {
            Assert.False(AddressNormalizer.TryNormalize(input, out _, out var error));
            Assert.NotEmpty(error);
        }
    }

    // U+FFFE is valid UTF-8 (EF BF BE) that a client can send under SMTPUTF8, but string.Normalize
    // throws on it; it used to end the SMTP session without a reply and answer the API with 500.
    [Theory]
    [InlineData("a\uFFFE@example.com")]
    [InlineData("\"a\uFFFEb\"@example.com")]
    [InlineData("a@ex\uFFFEample.com")]
    [InlineData("\uFFFE")]
    public void Noncharacter_U_FFFE_is_rejected_not_thrown(string input)
    {
        Assert.False(AddressNormalizer.TryNormalize(input, out _, out var error));
        Assert.Equal("The address contains an invalid Unicode character.", error);
    }

    // Hostile input: large, degenerate or quote-heavy strings are refused quickly and without throwing.
    public static TheoryData<string, string> Hostile => new()
    {
        { "only a quote", "\"" },
        { "only two quotes", "\"\"" },
        { "only three quotes", "\"\"\"" },
        { "quotes around @", "\"@\"" },
        { "lone backslash", "\\" },
        { "backslash local part", "\\@example.com" },
        { "backslash escaping the closing quote", "\"\\\"@example.com" },
        { "100k-character local part", new string('a', 100_000) + "@example.com" },
        { "100k-character domain", "a@" + new string('b', 100_000) },
        { "100k @ signs", new string('@', 100_000) },
        { "100k quotes", new string('"', 100_000) + "@example.com" },
        { "100k backslashes in quotes", "\"" + new string('\\', 100_001) + "\"@example.com" },
        { "100k dots", "a" + new string('.', 100_000) + "b@example.com" },
        { "100k brackets", new string('<', 50_000) + "a@example.com" + new string('>', 50_000) },
        { "100k-octet address literal", "a@[" + new string('1', 100_000) + "]" },
    };

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Address_is_normalized_to_its_canonical_form(string input, string expected)
    {
        var accepted = AddressNormalizer.TryNormalize(input, out var normalized, out var error);

        Assert.True(accepted, error);
        Assert.Equal(expected, normalized.Value);
        Assert.Equal(expected, normalized.ToString());
        Assert.Empty(error);
    }

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Normalizing_a_canonical_address_again_changes_nothing(string input, string expected)
    {
        _ = input;

        var normalized = AddressNormalizer.Normalize(expected);

        Assert.Equal(expected, normalized.Value);
    }

    [Theory]
    [MemberData(nameof(Canonical))]
    public void Normalize_agrees_with_TryNormalize(string input, string expected)
    {
        Assert.Equal(expected, AddressNormalizer.Normalize(input).Value);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Invalid_address_is_rejected_with_a_reason(string description, string? input)
    {
        var accepted = AddressNormalizer.TryNormalize(input, out var normalized, out var error);

        Assert.False(accepted, $"{description}: accepted as '{normalized.Value}'");
        Assert.False(string.IsNullOrWhiteSpace(error), description);
        Assert.Equal(default, normalized);
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Normalize_throws_FormatException_with_the_reason_for_an_invalid_address(string description, string? input)
    {
        _ = description;
        AddressNormalizer.TryNormalize(input, out _, out var error);

        var exception = Assert.Throws<FormatException>(() => AddressNormalizer.Normalize(input!));

        Assert.Equal(error, exception.Message);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_input_is_rejected_without_throwing(string description, string input)
    {
        var accepted = AddressNormalizer.TryNormalize(input, out _, out var error);

        Assert.False(accepted, description);
        Assert.False(string.IsNullOrWhiteSpace(error), description);
    }

    [Fact]
    public void Decomposed_and_precomposed_local_parts_are_the_same_address()
    {
        var decomposed = AddressNormalizer.Normalize("Jose\u0301@example.com");
        var precomposed = AddressNormalizer.Normalize("jos\u00e9@example.com");

        Assert.Equal(precomposed, decomposed);
        Assert.Equal("jos\u00e9", decomposed.LocalPart);
    }

    [Fact]
    public void U_label_and_A_label_domains_are_the_same_address()
    {
        var unicode = AddressNormalizer.Normalize("User@Bücher.Example");
        var ascii = AddressNormalizer.Normalize("user@xn--bcher-kva.example");

        Assert.Equal(ascii, unicode);
        Assert.Equal("xn--bcher-kva.example", unicode.Domain);
    }

    [Fact]
    public void Quoted_and_unquoted_forms_of_a_dot_atom_are_the_same_address()
    {
        Assert.Equal(
            AddressNormalizer.Normalize("john.doe@example.com"),
            AddressNormalizer.Normalize("\"John.Doe\"@example.com"));
    }

    [Fact]
    public void Local_part_keeps_quotes_that_it_needs()
    {
        var normalized = AddressNormalizer.Normalize("\"John Doe\"@Example.com");

        Assert.Equal("\"john doe\"", normalized.LocalPart);
        Assert.Equal("example.com", normalized.Domain);
    }
}
