using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Gmail's feedback loop identifier, <c>Feedback-ID: a:b:c:SenderId</c> (Gmail Postmaster Tools:
/// up to four colon-separated fields, the last the sender's own id; Gmail reads it only when a DKIM
/// signature of the sending domain covers it). A tenant's is set in <c>Suppression:Tenants:N:FeedbackId</c>
/// and stamped on every copy of its mail in place of whatever the client wrote, so no tenant can
/// send under another's id with the gateway's signature over it.
/// </summary>
public static class FeedbackIdField
{
    public const string Name = "Feedback-ID";

    // Gmail sets none; the value cannot be folded (no spaces), so it is kept far below RFC 5322 2.1.1's 998 octets a line.
    public const int MaxLength = 128;

    private const int MaxFields = 4;

    /// <summary>Whether <paramref name="value"/> can be stamped as it is; otherwise <paramref name="problem"/> says why.</summary>
    public static bool TryValidate(string value, out string problem)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Printable ASCII without spaces: the value goes into the header as is, never folded or encoded.
        if (value.Length is 0 or > MaxLength || !value.All(c => c is > ' ' and < '\u007f'))
        {
            problem = $"must be 1-{MaxLength} printable ASCII characters without spaces";
            return false;
        }

        var fields = value.Split(':');
        if (fields.Length > MaxFields || fields.Any(field => field.Length == 0))
        {
            problem = "must be 1 to 4 non-empty fields separated by ':' (a:b:c:SenderId)";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>Replaces every Feedback-ID field of the message with one holding <paramref name="feedbackId"/>.</summary>
    public static void Stamp(MimeMessage message, string feedbackId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(feedbackId);
        message.Headers.RemoveAll(Name);
        message.Headers.Add(Name, feedbackId);
    }
}
