using System.Net;
using Suppression.Smtp.Delivery;

namespace Suppression.Smtp.Tests.Delivery;

public sealed class ReceivedHeaderTests
{
    private static readonly DateTimeOffset Time = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Header_names_client_gateway_protocol_id_recipient_and_time() =>
        Assert.Equal(
            "from client.example ([192.0.2.1]) by gateway.test with ESMTP id 0a1b2c for <a@example.com>; Tue, 04 Mar 2025 05:06:07 +0000",
            Build(recipient: "a@example.com"));

    [Theory]
    [InlineData(false, false, false, false, "SMTP")]
    [InlineData(true, false, false, false, "ESMTP")]
    [InlineData(true, true, false, false, "ESMTPS")]
    [InlineData(true, false, true, false, "ESMTPA")]
    [InlineData(true, true, true, false, "ESMTPSA")]
    [InlineData(true, false, false, true, "UTF8SMTP")]
    [InlineData(true, true, false, true, "UTF8SMTPS")]
    [InlineData(true, true, true, true, "UTF8SMTPSA")]
    public void Protocol_name_follows_rfc_3848_and_rfc_6531(bool extended, bool secure, bool authenticated, bool smtpUtf8, string protocol) =>
        Assert.Contains($" with {protocol} id ", Build(extended: extended, secure: secure, authenticated: authenticated, smtpUtf8: smtpUtf8), StringComparison.Ordinal);

    [Fact]
    public void Recipient_is_named_only_when_there_is_exactly_one() =>
        Assert.DoesNotContain(" for ", Build(recipient: null), StringComparison.Ordinal);

    [Theory]
    [InlineData("\"a>b\"@example.com")]
    [InlineData("\"x; by evil.example\"@example.com")]
    [InlineData("\"a(b\"@example.com")]
    [InlineData("\"john smith\"@example.com")]
    [InlineData("\"a\\\"b\"@example.com")]
    [InlineData("\"a\u2028X-Injected: yes\"@example.com")]
    [InlineData("\"a\u00A0b\"@example.com")]
    public void Quoted_recipient_that_could_break_the_header_is_not_named(string recipient)
    {
        var header = Build(recipient: recipient);

        Assert.DoesNotContain(" for ", header, StringComparison.Ordinal);
        Assert.Equal(2, header.Split(';').Length);
        Assert.EndsWith("; Tue, 04 Mar 2025 05:06:07 +0000", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o'brien+news@example.com")]
    [InlineData("\u7528\u6237@xn--fsqu00a.xn--4rr70v")]
    [InlineData("a.b@[192.0.2.1]")]
    public void Recipient_with_a_dot_atom_local_part_is_named_as_written(string recipient) =>
        Assert.Contains($" for <{recipient}>; ", Build(recipient: recipient), StringComparison.Ordinal);

    [Fact]
    public void Ipv6_client_is_written_as_an_address_literal() =>
        Assert.Contains("([IPv6:2001:db8::1])", Build(client: "2001:db8::1"), StringComparison.Ordinal);

    [Fact]
    public void Ipv4_mapped_client_is_written_as_ipv4() =>
        Assert.Contains("([192.0.2.9])", Build(client: "::ffff:192.0.2.9"), StringComparison.Ordinal);

    [Theory]
    [InlineData("evil.example\r\nX-Injected: yes", "evil.example??X-Injected:?yes")]
    [InlineData("a(comment)b", "a?comment?b")]
    [InlineData("host;by", "host?by")]
    [InlineData("<x@y>", "?x?y?")]
    [InlineData("bücher.example", "b?cher.example")]
    [InlineData("[IPv6:2001:db8::1]", "[IPv6:2001:db8::1]")]
    [InlineData("mail-1_a.example", "mail-1_a.example")]
    public void Hostile_ehlo_argument_cannot_break_the_header(string clientDomain, string written)
    {
        var header = Build(clientDomain: clientDomain);

        Assert.StartsWith($"from {written} ([192.0.2.1]) by gateway.test ", header, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', header);
        Assert.DoesNotContain('\n', header);
        Assert.Equal(2, header.Split(';').Length);
    }

    private static string Build(
        string clientDomain = "client.example",
        string client = "192.0.2.1",
        bool extended = true,
        bool secure = false,
        bool authenticated = false,
        bool smtpUtf8 = false,
        string? recipient = null) =>
        ReceivedHeader.Build(clientDomain, IPAddress.Parse(client), "gateway.test", extended, secure, authenticated, smtpUtf8, "0a1b2c", recipient, Time);
}
