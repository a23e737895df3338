using System.Globalization;
using System.Text;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// The value of a DKIM-Signature field (RFC 6376 3.5), folded so that its lines stay within 78
/// octets (RFC 5322 2.1.1): tags break between one another, <c>h=</c> before a colon and <c>b=</c>
/// anywhere in its base64, all places where 3.5 allows folding white space.
/// </summary>
internal static class DkimSignatureField
{
    public const string Name = "DKIM-Signature";

    private const int LineLength = 78;
    private const string Fold = "\r\n\t";

    /// <summary>
    /// The value up to and including <c>b=</c>, which is what the header hash covers of the field
    /// itself (3.7: the <c>b=</c> value "treated as the empty string").
    /// </summary>
    public static string Unsigned(string domain, string selector, DateTimeOffset timestamp, IReadOnlyList<string> signedFields, string bodyHash)
    {
        var value = new StringBuilder(512);
        var column = Name.Length + 1;
        Append(value, ref column, "v=1;");
        Append(value, ref column, "a=rsa-sha256;");
        Append(value, ref column, "c=relaxed/relaxed;");
        Append(value, ref column, $"d={domain};");
        Append(value, ref column, $"s={selector};");
        Append(value, ref column, string.Create(CultureInfo.InvariantCulture, $"t={timestamp.ToUnixTimeSeconds()};"));
        for (var i = 0; i < signedFields.Count; i++)
        {
            var token = (i == 0 ? "h=" : ":") + signedFields[i] + (i == signedFields.Count - 1 ? ";" : string.Empty);
            Append(value, ref column, token, spaceBefore: i == 0);
        }

        Append(value, ref column, $"bh={bodyHash};");
        Append(value, ref column, "b=");
        return value.ToString();
    }

    /// <summary>The whole value: <paramref name="unsigned"/>, the base64 signature folded after it, and the CRLF that ends the field.</summary>
    public static string Signed(string unsigned, byte[] signature)
    {
        var base64 = Convert.ToBase64String(signature);
        var value = new StringBuilder(unsigned, unsigned.Length + base64.Length + 32);
        var lastLine = unsigned.LastIndexOf('\n');
        var column = lastLine < 0 ? Name.Length + 1 + unsigned.Length : unsigned.Length - lastLine - 1;
        var position = 0;
        while (position < base64.Length)
        {
            if (column >= LineLength)
            {
                value.Append(Fold);
                column = 1;
            }

            var take = Math.Min(LineLength - column, base64.Length - position);
            value.Append(base64, position, take);
            column += take;
            position += take;
        }

        return value.Append("\r\n").ToString();
    }

    private static void Append(StringBuilder value, ref int column, string token, bool spaceBefore = true)
    {
        var width = token.Length + (spaceBefore ? 1 : 0);
        if (column + width > LineLength && column > 1)
        {
            value.Append(Fold);
            column = 1;
            spaceBefore = false;
        }

        if (spaceBefore)
        {
            value.Append(' ');
            column++;
        }

        value.Append(token);
        column += token.Length;
    }
}
