using System.Buffers;
using System.Text;
using Suppression.Smtp.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

public sealed class DkimRelaxedHeaderTests
{
    [Theory]
    [InlineData("Subject: Spring offers\r\n", "subject:Spring offers\r\n")]
    [InlineData("SUBJECT :  Spring \t offers  \r\n", "subject:Spring offers\r\n")]
    [InlineData("Subject:\r\n Spring\r\n\toffers\r\n", "subject:Spring offers\r\n")]
    [InlineData("To: a@example.net,\r\n  \t b@example.net \r\n", "to:a@example.net, b@example.net\r\n")]
    [InlineData("Subject:\r\n", "subject:\r\n")]
    [InlineData("Subject: Grüße  aus München\r\n", "subject:Grüße aus München\r\n")]
    public void Field_is_canonicalized_from_its_bytes(string field, string canonical)
    {
        var output = new ArrayBufferWriter<byte>();

        DkimRelaxedHeader.Append(output, Encoding.UTF8.GetBytes(field));

        Assert.Equal(canonical, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void The_signature_field_itself_is_hashed_without_its_crlf()
    {
        var output = new ArrayBufferWriter<byte>();

        DkimRelaxedHeader.Append(output, "DKIM-Signature: v=1; a=rsa-sha256;\r\n\tb="u8, endWithCrlf: false);

        Assert.Equal("dkim-signature:v=1; a=rsa-sha256; b=", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("List-Unsubscribe-Post: x\r\n", "list-unsubscribe-post")]
    [InlineData("Message-Id \t: <a@b>\r\n", "message-id")]
    public void Name_is_the_lower_case_name_before_the_colon(string field, string name)
    {
        Assert.True(DkimRelaxedHeader.TryGetName(Encoding.ASCII.GetBytes(field), out var read));
        Assert.Equal(name, read);
    }
}
