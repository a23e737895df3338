using System.Buffers;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// The "relaxed" header field canonicalization of RFC 6376 3.4.2, over a field's bytes as they are
/// written: the name in lower case, line breaks of folding removed, runs of white space made one SP,
/// white space around the colon and at the end of the value removed. Other bytes, 8-bit ones
/// included, are kept as they are.
/// </summary>
internal static class DkimRelaxedHeader
{
    /// <summary>The field's name as the <c>h=</c> tag lists it: lower case, without white space before the colon.</summary>
    public static bool TryGetName(ReadOnlySpan<byte> field, out string name)
    {
        var colon = field.IndexOf((byte)':');
        if (colon <= 0)
        {
            name = string.Empty;
            return false;
        }

        name = System.Text.Encoding.Latin1.GetString(field[..colon].TrimEnd(" \t"u8)).ToLowerInvariant();
        return name.Length > 0;
    }

    /// <summary>
    /// Appends the canonical form of <paramref name="field"/> (name, colon, folded value, CRLF or none)
    /// and, when <paramref name="endWithCrlf"/>, a CRLF: the signature's own field is hashed without one (3.7).
    /// </summary>
    public static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> field, bool endWithCrlf = true)
    {
        var colon = field.IndexOf((byte)':');
        var name = field[..colon].TrimEnd(" \t"u8);
        var span = output.GetSpan(field.Length + 2);
        var length = 0;
        foreach (var b in name)
        {
            span[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + ('a' - 'A')) : b;
        }

        span[length++] = (byte)':';
        var pendingSpace = false;
        var wroteValue = false;
        foreach (var b in field[(colon + 1)..])
        {
            // Unfolding (RFC 5322 2.2.3) removes the CRLF and keeps the white space after it.
            if (b is (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            if (b is (byte)' ' or (byte)'\t')
            {
                pendingSpace = wroteValue;
                continue;
            }

            if (pendingSpace)
            {
                span[length++] = (byte)' ';
                pendingSpace = false;
            }

            span[length++] = b;
            wroteValue = true;
        }

        if (endWithCrlf)
        {
            span[length++] = (byte)'\r';
            span[length++] = (byte)'\n';
        }

        output.Advance(length);
    }
}
