using System.Text.RegularExpressions;

namespace Suppression.Addresses;

/// <summary>
/// Takes anything that looks like a mail address out of free text before it goes to a log or into an
/// audit record's evidence: an upstream's reply ("450 4.1.1 &lt;bob@example.com&gt;: Recipient address
/// rejected"), a report's diagnostic, a parser's complaint, an operator's evidence note. Logs never
/// carry a clear address, and evidence (hashed, so erasure cannot blank it) never quotes one.
/// </summary>
public static partial class AddressRedaction
{
    public const string Placeholder = "[address]";

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@', StringComparison.Ordinal))
        {
            return text ?? string.Empty;
        }

        try
        {
            return AddressPattern().Replace(text, Placeholder);
        }
        catch (RegexMatchTimeoutException)
        {
            // Pathological text: say nothing rather than something that might hold an address.
            return "[text withheld: it contains '@']";
        }
    }

    // A quoted local part ("jane doe"@example.com, RFC 5321 4.1.2: at most 64 octets, RFC 5321
    // 4.5.3.1.1) may hold spaces and delimiters, so it is taken whole first. Otherwise any run of
    // characters holding an '@', up to whatever usually delimits an address in prose or a reply (space,
    // brackets, quotes, comma, semicolon, colon). Generous on purpose: redacting a little too much
    // costs a log line some detail, redacting too little leaks an address.
    [GeneratedRegex("""
        "(?:[^"\\\r\n]|\\.){0,64}"@[^\s<>()\[\]"',;:]*|[^\s<>()\[\]"',;:]*@[^\s<>()\[\]"',;:]*
        """, RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressPattern();
}
