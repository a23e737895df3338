using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The returned original inside a report: RFC 6522 3 lets the third part be the whole message
/// (message/rfc822) or only its headers (text/rfc822-headers); RFC 6533 adds message/global and
/// message/global-headers. Both DSNs (RFC 3464 2) and ARF reports (RFC 5965 2) use it.
/// </summary>
internal static class OriginalMessage
{
    public static MimeMessage? Find(MultipartReport report)
    {
        foreach (var part in report)
        {
            // TextRfc822Headers is a MessagePart too: MimeKit parses the headers as a message.
            if (part is MessagePart { Message: { } message })
            {
                return message;
            }

            if (part is MimePart encoded && IsReturnedMessage(encoded.ContentType) && TryLoadEncoded(encoded, out var loaded))
            {
                return loaded;
            }
        }

        return null;
    }

    private static bool IsReturnedMessage(ContentType type) =>
        type.IsMimeType("message", "rfc822") || type.IsMimeType("message", "global")
        || type.IsMimeType("text", "rfc822-headers") || type.IsMimeType("message", "global-headers");

    // RFC 2046 5.2.1 forbids encoding message/rfc822, so MimeKit leaves an encoded one as an opaque
    // part; some feedback loops base64 it anyway, and its headers are still worth reading.
    private static bool TryLoadEncoded(MimePart part, out MimeMessage? message)
    {
        message = null;
        if (part.Content is null)
        {
            return false;
        }

        try
        {
            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded);
            decoded.Position = 0;
            message = MimeMessage.Load(decoded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
