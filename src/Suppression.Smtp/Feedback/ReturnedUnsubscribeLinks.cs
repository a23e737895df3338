using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Suppression.Addresses;
using Suppression.Smtp.Delivery;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The gateway's own one-click links (<c>{PublicBaseUrl}/u/{token}</c>, stamped as List-Unsubscribe
/// on every marketing copy) found in a report, decoded. A token is authenticated and encrypted, so
/// one found in a report names the recipient of a copy the gateway sent, and nobody can write one
/// for someone else.
/// </summary>
internal sealed partial class ReturnedUnsubscribeLinks(UnsubscribeTokenCodec codec)
{
    // A returned message's header block comes after the report's prose and status fields, within
    // the first few KiB; a bound keeps a huge report (a returned attachment) from costing more.
    private const int MaxScannedBytes = 256 * 1024;

    // Each candidate costs a decryption; a report full of junk links is not worth more.
    private const int MaxTokensTried = 32;

    /// <summary>The valid tokens in the gateway's links in <paramref name="text"/>, such as a returned List-Unsubscribe field.</summary>
    public IEnumerable<UnsubscribeToken> In(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var match in StampedToken().Matches(text).Take(MaxTokensTried))
        {
            if (codec.TryDecode(match.Groups["token"].Value, now, out var token, out _))
            {
                yield return token;
            }
        }
    }

    /// <summary>
    /// The recipient of the first valid link anywhere in the report (bounded) that <paramref name="covers"/>
    /// accepts, or null. The raw bytes are read first (a returned message or its headers, quoted as
    /// they came, also in plain-text bounces); then, when the report parsed, its base64 and
    /// quoted-printable parts decoded, as some servers encode the returned message (RFC 2045 6).
    /// </summary>
    public async Task<NormalizedAddress?> FindRecipientAsync(
        MessageSpool spool, MimeMessage? report, Func<NormalizedAddress, bool> covers, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(covers);
        var buffer = new byte[(int)Math.Min(MaxScannedBytes, spool.Length)];
        await using (var stream = spool.OpenRead())
        {
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (Covered(Encoding.Latin1.GetString(buffer, 0, length), covers, now) is { } raw)
            {
                return raw;
            }
        }

        return report is null ? null : EncodedParts(report).Select(text => Covered(text, covers, now)).FirstOrDefault(found => found is not null);
    }

    private NormalizedAddress? Covered(string text, Func<NormalizedAddress, bool> covers, DateTimeOffset now) =>
        In(text, now).Select(token => token.Recipient).Where(covers).Cast<NormalizedAddress?>().FirstOrDefault();

    private static IEnumerable<string> EncodedParts(MimeMessage report)
    {
        var budget = MaxScannedBytes;
        foreach (var part in report.BodyParts.OfType<MimePart>())
        {
            if (budget <= 0)
            {
                yield break;
            }

            if (part.Content is null || part.ContentTransferEncoding is not (ContentEncoding.Base64 or ContentEncoding.QuotedPrintable))
            {
                continue;
            }

            using var decoded = new MemoryStream();
            try
            {
                part.Content.DecodeTo(decoded);
            }
            catch (FormatException)
            {
                continue;
            }

            var length = (int)Math.Min(decoded.Length, budget);
            budget -= length;
            yield return Encoding.Latin1.GetString(decoded.GetBuffer(), 0, length);
        }
    }

    // The token is base64url inside <...> (RFC 2369 3.2), so it never holds a fold or an escape.
    [GeneratedRegex(UnsubscribeLink.Path + "/(?<token>" + UnsubscribeLink.TokenPattern + ")>", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StampedToken();
}
