using Suppression.Addresses;

namespace Suppression.Core.Tests.Addresses;

public class AddressRedactionTests
{
    // Text as an upstream, a parser or an operator wrote it -> what may go to a log.
    public static TheoryData<string, string> Redacted => new()
    {
        { "450 4.1.1 <bob@example.com>: Recipient address rejected: User unknown", "450 4.1.1 <[address]>: Recipient address rejected: User unknown" },
        { "5.1.1 bob@example.com... User unknown", "5.1.1 [address] User unknown" },
        { "Final-Recipient: rfc822;Bob.Smith+news@EXAMPLE.com", "Final-Recipient: rfc822;[address]" },
        { "confirmed by \"alice@example.com\", and carol@example.org on the phone", "confirmed by \"[address]\", and [address] on the phone" },
        { "A per-recipient group names no readable recipient: 'bob@@example.com' is not an address", "A per-recipient group names no readable recipient: '[address]' is not an address" },
        { "grüße@bücher.example", "[address]" },
        { "mailto:unsubscribe@gateway.example?subject=x", "mailto:[address]" },
        { "550 5.1.1 <JANE@Example.COM>... User unknown", "550 5.1.1 <[address]>... User unknown" },
        { "RCPT TO:jane@example.com rejected", "RCPT TO:[address] rejected" },
        { "smtp;550 mailbox unavailable (to=jane@example.com)", "smtp;550 mailbox unavailable ([address])" },
        { "550 5.1.1 \"jane doe\"@example.com: User unknown", "550 5.1.1 [address]: User unknown" },
        { "550 5.1.1 <\"jane,doe;x\"@example.com>: User unknown", "550 5.1.1 <[address]>: User unknown" },
        { "550 5.1.1 <\"jane \\\" doe\"@example.com>: User unknown", "550 5.1.1 <[address]>: User unknown" },
        { "550 5.1.1 \"Jane Doe\" <jane@example.com>: User unknown", "550 5.1.1 \"Jane Doe\" <[address]>: User unknown" },
    };

    [Theory]
    [MemberData(nameof(Redacted))]
    public void Anything_that_looks_like_an_address_is_replaced(string text, string expected) =>
        Assert.Equal(expected, AddressRedaction.Redact(text));

    [Theory]
    [InlineData("250 2.0.0 Ok: queued as 4XyZ")]
    [InlineData("Connection refused")]
    [InlineData("")]
    public void Text_without_an_address_is_left_alone(string text) =>
        Assert.Same(text, AddressRedaction.Redact(text));

    // A user unknown reply as it is read from a report, with the address in each place servers put it.
    [Theory]
    [InlineData("550 5.1.1 <{0}>: Recipient address rejected: User unknown")]
    [InlineData("550 5.1.1 {0}... User unknown")]
    [InlineData("550 5.1.1 User unknown: to:{0}")]
    [InlineData("550-5.1.1 The email account that you tried to reach does not exist ({0})")]
    public void A_user_unknown_reply_keeps_its_code_and_words_and_loses_the_address(string reply)
    {
        const string Address = "Jane.Doe+news@Example.com";

        var redacted = AddressRedaction.Redact(string.Format(System.Globalization.CultureInfo.InvariantCulture, reply, Address));

        Assert.DoesNotContain("jane", redacted, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("5.1.1", redacted, StringComparison.Ordinal);
        Assert.Contains(AddressRedaction.Placeholder, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = AddressRedaction.Redact("550 5.1.1 <jane@example.com>: User unknown");

        Assert.Same(once, AddressRedaction.Redact(once));
    }

    [Fact]
    public void Null_is_empty() => Assert.Equal(string.Empty, AddressRedaction.Redact(null));
}
