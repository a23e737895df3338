using System.Globalization;
using System.Text;
using Suppression.Addresses;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Reads the typed addresses of DSN fields, <c>address-type ";" generic-address</c> (RFC 3464
/// 2.3.2), into the one normalized form.
/// </summary>
internal static class ReportAddress
{
    public static bool TryNormalize(string? field, bool fromOrcpt, out NormalizedAddress address, out string error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(field))
        {
            error = "The recipient field is empty.";
            return false;
        }

        var (type, value) = SplitType(field.Trim());
        string decoded;
        switch (type)
        {
            // "unknown" is allowed for an Original-Recipient whose type the MTA could not tell
            // (RFC 3464 2.3.1); in practice it holds an RFC 5321 mailbox.
            case "rfc822" or "unknown":
                decoded = fromOrcpt ? DecodeXtext(value) : value;
                break;
            case "utf-8":
                if (!TryDecodeEmbeddedUnicode(value, out decoded))
                {
                    error = $"The utf-8 address '{value}' has an invalid \\x{{...}} escape (RFC 6533 3).";
                    return false;
                }

                break;
            default:
                error = $"The address type '{type}' is not an Internet mail address.";
                return false;
        }

        if (!AddressNormalizer.TryNormalize(decoded, out address, out var problem))
        {
            error = $"'{decoded}' is not an address: {problem}";
            return false;
        }

        // Sendmail and Postfix name an alias's program or file target as a quoted local part
        // ("|/usr/bin/procmail"@host, "/var/mail/jane"@host, ":include:/etc/list"@host): a delivery
        // target on that host, never a mailbox anyone was sent mail as.
        if (address.UnquotedLocalPart is ['|' or '/', ..] || address.UnquotedLocalPart.StartsWith(":include:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{decoded}' is a program or file on the reporting host, not a mailbox.";
            address = default;
            return false;
        }

        error = string.Empty;
        return true;
    }

    // Some MTAs leave out the type; an address has its '@' after any ';' that could end a type.
    private static (string Type, string Value) SplitType(string field)
    {
        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        if (semicolon <= 0)
        {
            return ("rfc822", field);
        }

        var type = field[..semicolon].Trim();
        return type.Contains('@', StringComparison.Ordinal) || type.Contains('"', StringComparison.Ordinal)
            ? ("rfc822", field)
            : (type.ToLowerInvariant(), field[(semicolon + 1)..].Trim());
    }

    // The ORCPT value is xtext (RFC 3461 4, 5): "+" and two upper-case hex digits. Some MTAs copy it
    // into Original-Recipient still encoded, others decoded, so only the characters an encoder must
    // encode are decoded (controls, space, '+', '=' and non-ASCII): "+41" is left as it is, because
    // no encoder writes 'A' that way and "user+41@" is more likely a sub-address tag.
    private static string DecodeXtext(string value)
    {
        if (!value.Contains('+', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+' && i + 2 < value.Length
                && IsUpperHex(value[i + 1]) && IsUpperHex(value[i + 2])
                && int.Parse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var octet
                && (octet is < 0x21 or > 0x7E or 0x2B or 0x3D))
            {
                builder.Append((char)octet);
                i += 2;
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsUpperHex(char c) => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F';

    // RFC 6533 3: utf-8-addr-xtext and utf-8-addr-unitext write characters that are unsafe there
    // (and any non-ASCII one, in the 7-bit form) as EmbeddedUnicodeChar, "\x{" HEXPOINT "}".
    private static bool TryDecodeEmbeddedUnicode(string value, out string decoded)
    {
        decoded = value;
        if (!value.Contains("\\x{", StringComparison.Ordinal))
        {
            return true;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 2 < value.Length && value[i + 1] == 'x' && value[i + 2] == '{')
            {
                var close = value.IndexOf('}', i + 3);
                if (close < 0 || close - (i + 3) is < 1 or > 6
                    || !int.TryParse(value.AsSpan(i + 3, close - (i + 3)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var scalar)
                    || !Rune.IsValid(scalar))
                {
                    return false;
                }

                builder.Append(new Rune(scalar).ToString());
                i = close;
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        decoded = builder.ToString();
        return true;
    }
}
