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

    [Fact]
    public void Null_is_empty() => Assert.Equal(string.Empty, AddressRedaction.Redact(null));
}
