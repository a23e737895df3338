using MailKit.Net.Smtp;
using MimeKit;
using Suppression.Smtp.Delivery.Verbatim;

namespace Suppression.Smtp.Relay;

/// <summary>
/// MailKit's SMTP client, told to leave a <see cref="VerbatimCopy"/> as it is: SmtpClient prepares
/// every message for the server's extensions before DATA (re-encoding 8-bit parts for a server
/// without 8BITMIME), which would alter the client's bytes; a copy goes as composed or is refused
/// before MAIL FROM (<see cref="UpstreamSmtpRelay"/>). Other messages (the gateway's own DSNs) are
/// prepared as usual.
/// </summary>
internal sealed class VerbatimSmtpClient : SmtpClient
{
    protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
    {
        if (message is not VerbatimCopy)
        {
            base.Prepare(options, message, constraint, maxLineLength);
        }
    }

    // RFC 1870 SIZE: the copy knows its length; measuring would write it once more.
    protected override long GetSize(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        message is VerbatimCopy copy ? copy.Size : base.GetSize(options, message, cancellationToken);

    protected override Task<long> GetSizeAsync(FormatOptions options, MimeMessage message, CancellationToken cancellationToken) =>
        message is VerbatimCopy copy ? Task.FromResult(copy.Size) : base.GetSizeAsync(options, message, cancellationToken);
}
