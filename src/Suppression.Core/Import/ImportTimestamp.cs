using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Suppression.Import;

/// <summary>
/// Reads the time an export gives for a suppression: ISO 8601 (SES, Postmark, ours, most
/// SendGrid CSVs), RFC 5322 dates (Mailgun: <c>Fri, 21 Oct 2011 11:02:55 GMT</c>) and, where the
/// format uses them, Unix seconds. A time without a zone is taken as UTC: exports that leave the
/// zone out write UTC, and the server's own zone would make an import depend on where it runs.
/// </summary>
internal static class ImportTimestamp
{
    private const int MaxTextLength = 64;

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    // 'T' or a space between date and time, an optional fraction, then 'Z', an offset or nothing.
    private static readonly string[] Iso8601Formats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];

    // RFC 5322 3.3 date-time without its day of week; seconds are optional there.
    private static readonly string[] Rfc5322Formats =
        ["d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yyyy HH:mm:ss", "d MMM yyyy HH:mm"];

    // RFC 5322 4.3 "UT" and "GMT", and the "UTC" that many senders write instead; all mean +0000.
    private static readonly string[] UniversalZoneNames = [" GMT", " UTC", " UT", " Z"];

    public static bool TryParse(ReadOnlySpan<byte> field, bool unixSecondsAllowed, out DateTimeOffset value)
    {
        value = default;
        if (unixSecondsAllowed && Utf8Parser.TryParse(field, out long seconds, out var consumed) && consumed == field.Length)
        {
            if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
            {
                return false;
            }

            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        Span<char> text = stackalloc char[MaxTextLength];
        if (field.Length > MaxTextLength || Ascii.ToUtf16(field, text, out var written) != OperationStatus.Done)
        {
            return false;
        }

        text = text[..written];
        return DateTimeOffset.TryParseExact(text, Iso8601Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            || TryParseRfc5322(text, out value);
    }

    private static bool TryParseRfc5322(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        // The day of week is optional and says nothing the date does not.
        var comma = text.IndexOf(',');
        if (comma >= 0)
        {
            text = text[(comma + 1)..].TrimStart();
        }

        foreach (var zone in UniversalZoneNames)
        {
            if (text.EndsWith(zone, StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^zone.Length];
                break;
            }
        }

        return DateTimeOffset.TryParseExact(text, Rfc5322Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
