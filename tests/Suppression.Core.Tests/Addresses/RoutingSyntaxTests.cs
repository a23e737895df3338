using Suppression.Addresses;

namespace Suppression.Core.Tests.Addresses;

public class RoutingSyntaxTests
{
    [Theory]
    [InlineData("frank%example.org@localhost", "'%'")]
    [InlineData("example.org!frank@mail.internal", "'!'")]
    [InlineData("\"frank%example.org\"@localhost", "'%'")]
    [InlineData("\"fr\\ank!x\"@localhost", "'!'")]
    [InlineData("\"frank@example.org\"@localhost", "'@'")]
    [InlineData("\"@relay.example:frank@example.org\"@localhost", "'@'")]
    [InlineData("frank@[192.0.2.1]", "Address literal")]
    [InlineData("frank%example.org@[192.0.2.1]", "Address literal")]
    [InlineData("frank@[IPv6:2001:db8::1]", "Address literal")]
    public void Routed_address_is_explained(string address, string mentioned)
    {
        var explanation = RoutingSyntax.Explain(AddressNormalizer.Normalize(address));

        Assert.NotNull(explanation);
        Assert.Contains(mentioned, explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frank@example.org")]
    [InlineData("frank+news@example.org")]
    [InlineData("o'brien&sons=1#$*/?^_`{|}~-@example.org")]
    [InlineData("\"frank smith\"@example.org")]
    [InlineData("\"a\\\"b\"@example.org")]
    [InlineData("用户@例子.广告")]
    public void Mailbox_is_not_a_route(string address) =>
        Assert.Null(RoutingSyntax.Explain(AddressNormalizer.Normalize(address)));

    [Fact]
    public void Default_address_is_not_a_route() =>
        Assert.Null(RoutingSyntax.Explain(default));

    [Theory]
    [InlineData("frank@example.org", "frank")]
    [InlineData("\"frank smith\"@example.org", "frank smith")]
    [InlineData("\"a\\\"b\\\\c\"@example.org", "a\"b\\c")]
    [InlineData("\"frank@example.org\"@localhost", "frank@example.org")]
    public void Unquoted_local_part_is_what_an_MTA_reads_after_dequoting(string address, string unquoted) =>
        Assert.Equal(unquoted, AddressNormalizer.Normalize(address).UnquotedLocalPart);
}
