using System.Globalization;
using System.Text;

namespace Suppression.Addresses;

/// <summary>
/// The one function that turns a mailbox as written (envelope path, API input, header) into the
/// canonical form: trimmed, local part unquoted where quoting adds nothing, lower-cased and NFC,
/// domain lower-cased and converted to its IDNA A-label. Syntax follows RFC 5321 4.1.2 (Mailbox)
/// with RFC 6531 3.3 (UTF-8 in local parts and U-labels).
/// </summary>
public static class AddressNormalizer
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    // RFC 5321 4.5.3.1.1 and 4.5.3.1.2.
    private const int MaxLocalPartOctets = 64;
    private const int MaxDomainOctets = 255;

    public static NormalizedAddress Normalize(string address) =>
        TryNormalize(address, out var normalized, out var error)
            ? normalized
            : throw new FormatException(error);

    public static bool TryNormalize(string? address, out NormalizedAddress normalized, out string error)
    {
        normalized = default;
        if (string.IsNullOrWhiteSpace(address))
        {
            error = "The address is empty.";
            return false;
        }

        var text = address.Trim();

        // RFC 6531 3.3: the address is UTF-8, which cannot carry a lone surrogate. U+FFFE can be
        // encoded, but it is a noncharacter that .NET's normalization (ICU) refuses with an
        // exception, which took the SMTP session and the API request down with it (found by fuzzing).
        if (HasInvalidUnicode(text))
        {
            error = "The address contains an invalid Unicode character.";
            return false;
        }

        if (text.Length > 2 && text[0] == '<' && text[^1] == '>')
        {
            text = text[1..^1];
        }

        var at = FindDomainSeparator(text);
        if (at <= 0 || at == text.Length - 1)
        {
            error = "The address needs a local part and a domain separated by '@'.";
            return false;
        }

        if (!TryNormalizeLocalPart(text[..at], out var localPart, out error)
            || !TryNormalizeDomain(text[(at + 1)..], out var domain, out error))
        {
            return false;
        }

        normalized = new NormalizedAddress(localPart, domain);
        error = string.Empty;
        return true;
    }

    // The separator is the last '@' outside a quoted string: a quoted local part may contain '@'.
    private static int FindDomainSeparator(string text)
    {
        var inQuotes = false;
        var separator = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '@' && !inQuotes)
            {
                separator = i;
            }
        }

        return inQuotes ? -1 : separator;
    }

    private static bool TryNormalizeLocalPart(string raw, out string localPart, out string error)
    {
        localPart = string.Empty;
        string content;
        if (raw[0] == '"')
        {
            if (!TryUnquote(raw, out content, out error))
            {
                return false;
            }
        }
        else if (IsDotAtom(raw))
        {
            content = raw;
        }
        else
        {
            error = "The local part contains characters that are only allowed inside quotes.";
            return false;
        }

        // Decomposed, then lower-cased, then composed, as Unicode's canonical caseless match does
        // (The Unicode Standard 3.13, D145). Folding after NFC left "J\u030C" as "j\u030C", which a
        // second pass composed to U+01F0; folding before NFC kept the capital that "\u0130\u0323"
        // composes to. Either way one mailbox had two keys (found by fuzzing).
        content = content.Normalize(NormalizationForm.FormD).ToLowerInvariant().Normalize(NormalizationForm.FormC);

        // RFC 5321 4.1.2: a quoted string whose content is a valid dot-atom is the same mailbox
        // as the dot-atom; keep quotes only where the content needs them.
        localPart = NormalizedLocalPartOf(content);
        if (Encoding.UTF8.GetByteCount(localPart) > MaxLocalPartOctets)
        {
            error = "The local part is longer than 64 octets (RFC 5321 4.5.3.1.1).";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static bool TryUnquote(string raw, out string content, out string error)
    {
        content = string.Empty;
        if (raw.Length < 2 || raw[^1] != '"')
        {
            error = "The quoted local part is not closed.";
            return false;
        }

        var builder = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                if (i + 1 >= raw.Length - 1)
                {
                    error = "The quoted local part ends in a lone backslash.";
                    return false;
                }

                c = raw[++i];
                if (char.IsControl(c))
                {
                    error = "The quoted local part contains a control character.";
                    return false;
                }
            }
            else if (c == '"' || char.IsControl(c))
            {
                error = "The quoted local part contains an unescaped quote or a control character.";
                return false;
            }

            builder.Append(c);
        }

        content = builder.ToString();
        error = string.Empty;
        return true;
    }

    // How TryNormalizeLocalPart writes already normalized content: quoted only where it must be.
    internal static string NormalizedLocalPartOf(string content) => IsDotAtom(content) ? content : Quote(content);

    // The inverse of Quote, for a local part this class wrote: only '"' and '\\' are escaped.
    internal static string UnquoteNormalized(string localPart)
    {
        if (localPart.Length < 2 || localPart[0] != '"')
        {
            return localPart;
        }

        var builder = new StringBuilder(localPart.Length);
        for (var i = 1; i < localPart.Length - 1; i++)
        {
            if (localPart[i] == '\\')
            {
                i++;
            }

            builder.Append(localPart[i]);
        }

        return builder.ToString();
    }

    private static string Quote(string content)
    {
        var builder = new StringBuilder(content.Length + 2).Append('"');
        foreach (var c in content)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    // RFC 5321 Dot-string / RFC 5322 dot-atom-text, with RFC 6531 UTF8-non-ascii allowed in atext.
    private static bool IsDotAtom(string text)
    {
        if (text.Length == 0 || text[0] == '.' || text[^1] == '.')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (text[i - 1] == '.')
                {
                    return false;
                }
            }
            else if (!IsAtext(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAtext(char c) =>
        c > 127
            ? !char.IsControl(c) && !char.IsWhiteSpace(c)
            : char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);

    // Also used to check that the domains of AddressVariantRules are written in this canonical form.
    internal static bool TryNormalizeDomain(string raw, out string domain, out string error)
    {
        domain = string.Empty;
        if (raw.Length == 0)
        {
            error = "The domain is empty or has an empty label.";
            return false;
        }

        if (raw[0] == '[')
        {
            return TryNormalizeAddressLiteral(raw, out domain, out error);
        }

        // One trailing dot is the DNS root and means the same domain; any other empty label is an error.
        var text = raw.EndsWith('.') ? raw[..^1] : raw;
        if (text.Length == 0 || text[0] == '.' || text[^1] == '.' || text.Contains("..", StringComparison.Ordinal))
        {
            error = "The domain is empty or has an empty label.";
            return false;
        }

        try
        {
            // GetAscii applies UTS #46 mapping (case folding, NFC) and validates each label.
            domain = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = "The domain is not a valid host name.";
            return false;
        }

        // The mapping turns U+3002, U+FF0E and U+FF61 into '.' (RFC 3490 3.1) and drops U+00AD,
        // U+200B, U+FEFF and others, so a root dot can appear only now ("example.com\uFF0E",
        // "example.com.\u00AD"). It kept its dot and keyed apart from "example.com" (found by
        // fuzzing); it is dropped as the ASCII one is, and a second root dot is an empty label.
        if (domain.EndsWith('.'))
        {
            domain = text.Length == raw.Length ? domain[..^1] : string.Empty;
        }

        if (domain.Length == 0)
        {
            error = "The domain is empty or has an empty label.";
            return false;
        }

        if (domain.Length > MaxDomainOctets)
        {
            error = "The domain is longer than 255 octets (RFC 5321 4.5.3.1.2).";
            return false;
        }

        error = string.Empty;
        return true;
    }

    // RFC 5321 4.1.3: [192.0.2.1] or [IPv6:2001:db8::1]. The grammar is checked before
    // IPAddress.TryParse, which also takes octal ("010"), hex ("0x7f"), zone ids and ports.
    private static bool TryNormalizeAddressLiteral(string raw, out string domain, out string error)
    {
        domain = string.Empty;
        error = "The address literal is not a valid IPv4 or IPv6 address.";
        if (raw[^1] != ']')
        {
            return false;
        }

        var inner = raw[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            var v6 = inner[5..];
            if (v6.Length == 0 || !v6.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
                || !System.Net.IPAddress.TryParse(v6, out var ipv6)
                || ipv6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            domain = $"[ipv6:{ipv6}]";
            error = string.Empty;
            return true;
        }

        // Snum = 1*3DIGIT, a decimal value 0-255.
        var parts = inner.Split('.');
        if (parts.Length != 4 || parts.Any(part => part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || int.Parse(part, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }

        domain = "[" + string.Join('.', parts.Select(part => int.Parse(part, CultureInfo.InvariantCulture))) + "]";
        error = string.Empty;
        return true;
    }

    // What string.Normalize refuses: a surrogate without its pair, and the noncharacter U+FFFE.
    private static bool HasInvalidUnicode(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]) || text[i] == '\uFFFE')
            {
                return true;
            }
        }

        return false;
    }
}
