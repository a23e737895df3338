using System.Security.Cryptography;
using System.Text;
using Suppression.Smtp.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

public sealed class DkimRelaxedBodyTests
{
    // Each body and its relaxed canonical form (RFC 6376 3.4.4).
    public static TheoryData<string, string> Bodies => new()
    {
        { "Hello\r\n", "Hello\r\n" },
        { "trailing \t \r\n", "trailing\r\n" },
        { "inner  \t  runs\r\n", "inner runs\r\n" },
        { " \tleading\r\n", " leading\r\n" },
        { "text\r\n\r\n\r\n", "text\r\n" },
        { "text\r\n \r\n\t\r\n", "text\r\n" },
        { "a\r\n\r\n \r\nb\r\n", "a\r\n\r\n\r\nb\r\n" },
        { "", "" },
        { "\r\n", "" },
        { "\r\n\r\n  \r\n", "" },
        { "no final line end", "no final line end\r\n" },
        { "no final line end  ", "no final line end\r\n" },
        { "text\r\n\r\nlast", "text\r\n\r\nlast\r\n" },
        { "Grüße aus München \r\n", "Grüße aus München\r\n" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Hash_is_the_sha256_of_the_relaxed_body(string body, string canonical)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(Expected(canonical), DkimRelaxedBody.Hash(new MemoryStream(bytes)));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Hash_is_the_same_however_the_bytes_arrive(string body, string canonical)
    {
        // A CRLF, a run of white space or a run of empty lines split across two reads.
        using var relaxed = new DkimRelaxedBody();
        foreach (var b in Encoding.UTF8.GetBytes(body))
        {
            relaxed.Append([b]);
        }

        Assert.Equal(Expected(canonical), Convert.ToBase64String(relaxed.Finish()));
    }

    [Fact]
    public void An_empty_body_has_the_hash_of_the_empty_string_not_of_a_crlf()
    {
        // RFC 6376 3.4.4 adds a CRLF only to a non-empty body; "simple" (3.4.3) would hash "\r\n".
        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", DkimRelaxedBody.Hash(new MemoryStream()));
    }

    [Fact]
    public void A_large_body_is_hashed_as_it_streams()
    {
        var line = "Zeile mit  Leerraum \t\r\n"u8.ToArray();
        var body = Enumerable.Repeat(line, 20_000).SelectMany(bytes => bytes).ToArray();

        Assert.Equal(
            Expected(string.Concat(Enumerable.Repeat("Zeile mit Leerraum\r\n", 20_000))),
            DkimRelaxedBody.Hash(new MemoryStream(body)));
    }

    private static string Expected(string canonical) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}
