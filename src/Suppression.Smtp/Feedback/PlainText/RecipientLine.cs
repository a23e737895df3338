using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// A line of a bounce's text that names a failed recipient, in the shapes MTAs write:
/// the address alone ("&lt;a@b&gt;:" qmail, "  a@b" Exim, "\"a@b\":" GMX, "a@b&lt;mailto:a@b&gt;" Exchange),
/// the address then its reason ("a@b: 550 ..." OpenSMTPD, "&lt;a@b&gt;... User unknown" and
/// "550 &lt;a@b&gt;... User unknown" Sendmail, "&lt;a@b&gt;   (reason)" McAfee, "a@b on date" Exchange 2003),
/// a labelled address ("Recipient: &lt;a@b&gt;", "Unknown user: a@b" IMail, "Sent &lt;&lt;&lt; RCPT TO:&lt;a@b&gt;"
/// InterScan), or a sentence about one
/// ("There was an error delivering your mail to &lt;a@b&gt;." DragonFly, "Your message wasn't delivered to
/// a@b" Gmail, "Your message to a@b couldn't be delivered." Office 365).
/// </summary>
internal readonly partial record struct RecipientLine(string Address, int Indent, string Text, bool ReasonOnLine)
{
    // Dot-atom or quoted local part (RFC 5321 4.1.2), UTF-8 allowed (RFC 6531 3.3). No '/' or '|',
    // quoted or not, and no quoted ':': those name files, programs and include lists
    // ("|/usr/bin/procmail"@host, "/var/mail/x"@host, ":include:/etc/list"@host), never a mailbox.
    private const string AddressPattern =
        @"(?<address>""[^""\r\n\\|/:]{1,64}""@[\p{L}\p{N}.-]{1,253}|[\p{L}\p{N}!#$%&'*+=?^_`{}~.-]{1,64}@[\p{L}\p{N}-]{1,63}(\.[\p{L}\p{N}-]{1,63}){1,20})";

    // Whether a longer line is worth matching at all: addresses are short, reasons are one line.
    private const int MaxLineChars = 2000;

    public static bool TryRead(string line, out RecipientLine recipient)
    {
        recipient = default;
        if (line.Length > MaxLineChars || !line.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var shape in Shapes)
        {
            var match = shape.Match(line);
            if (match.Success)
            {
                var indent = match.Groups["indent"].Success ? match.Groups["indent"].Length : 0;
                recipient = new RecipientLine(match.Groups["address"].Value, indent, line.Trim(), ReferenceEquals(shape, ReasonOnLineShape));
                return true;
            }
        }

        return false;
    }

    private static readonly Regex ReasonOnLineShape = AddressThenReason();

    // Only AddressThenReason carries its reason on the line; the others have it on the lines below.
    private static readonly Regex[] Shapes = [AddressAlone(), AddressOnDate(), ReasonOnLineShape, LabelledAddress(), SentenceAboutAddress()];

    // Also "* a@b" (a bulleted list), ">>> a@b <a@b>" (Active!Hunter), "a@b (a@b)" and
    // "Jo Martin (a@b)" (Exchange 2007 and later).
    [GeneratedRegex(
        @"^(?<indent>[ \t]*)([*-][ \t]+|>>>[ \t]*|[^@<>()"":\r\n]{1,100}[ \t](?=\())?[<""(]?" + AddressPattern
        + @"[>"")]?(<mailto:[^>\s]{1,300}>|[ \t]+<[^>\s]{1,300}>|[ \t]+\([^)\s]{1,300}\))?:?[ \t]*$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressAlone();

    // The separator is what tells a reason from prose: a colon, Sendmail's "...", a parenthesis after
    // spaces or two or more spaces; a single space only when the rest carries a reply or status code
    // (Zoho: "a@b Invalid Address, ERROR_CODE :550, ...").
    [GeneratedRegex(
        @"^(?<indent>[ \t]*)([245][0-9][0-9]([ -][245]\.[0-9]{1,3}\.[0-9]{1,3})?[ \t]+)?<?" + AddressPattern + @">?"
        + @"([ \t]*(:|\.\.\.)[ \t]*\S|[ \t]+\(|[ \t]{2,}\S|[ \t]+\.\.\.|[ \t]+\S.*(\b[45][0-9][0-9]\b|\b[45]\.[0-9]{1,3}\.[0-9]{1,3}\b))",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressThenReason();

    // Exchange 2003: "a@b on Thu, 29 Apr 2010 00:00:00 -0000", the reason indented below.
    [GeneratedRegex(@"^(?<indent>[ \t]*)<?" + AddressPattern + @">?[ \t]+on[ \t]+[A-Za-z0-9]",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AddressOnDate();

    [GeneratedRegex(
        @"^(?<indent>[ \t]*)(Recipient|Failed recipient|Recipient address|Invalid recipient|Unknown user|Invalid final delivery userid|Final-Recipient|Original-Recipient|RCPT|RCPT TO|Sent <<< RCPT TO)[ \t]*:[ \t]*(rfc822;[ \t]*)?<?" + AddressPattern + @">?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LabelledAddress();

    [GeneratedRegex(
        @"^(?<indent>[ \t]*).{0,200}?\b(error delivering your (mail|message) to|Unable to deliver (your )?message to|rejected recipient|could not be delivered to"
        + @"|(wasn't|was not|couldn't be|could not be) delivered to|delivery to the following recipient(s)? (failed|has failed))[ \t:]*<?" + AddressPattern + @">?"
        + @"|^(?<indent>[ \t]*)Your message to <?" + AddressPattern + @">? (couldn't|could not|can't|cannot) be delivered",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SentenceAboutAddress();
}
