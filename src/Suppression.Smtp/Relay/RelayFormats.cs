using MimeKit;

namespace Suppression.Smtp.Relay;

/// <summary>
/// How a relayed message is written: CRLF line ends (RFC 5321 2.3.8). The upstream relay, the pickup
/// directory and the DKIM signer share these, because a signature verifies only over the bytes the
/// upstream receives.
/// </summary>
internal static class RelayFormats
{
    public static FormatOptions Wire { get; } = Create(international: false);

    // SMTPUTF8 (RFC 6531): MailKit says it in MAIL FROM and leaves addresses unencoded. A copy's
    // header block is one explicit raw value, so this changes nothing of what it writes.
    public static FormatOptions International { get; } = Create(international: true);

    /// <summary>As MailKit's SmtpClient sends <see cref="Wire"/>: it leaves out Bcc, Resent-Bcc and Content-Length.</summary>
    public static FormatOptions AsSmtpClientSends { get; } = HidingWhatSmtpClientHides(Wire);

    private static FormatOptions Create(bool international)
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.International = international;
        return format;
    }

    private static FormatOptions HidingWhatSmtpClientHides(FormatOptions sent)
    {
        var format = sent.Clone();
        format.HiddenHeaders.Add(HeaderId.Bcc);
        format.HiddenHeaders.Add(HeaderId.ResentBcc);
        format.HiddenHeaders.Add(HeaderId.ContentLength);
        return format;
    }
}
