using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// The client's body as MimeKit and MailKit see it: an entity with no header fields of its own
/// whose content is the spool's body bytes, written as they are. MailKit's SmtpClient sends what it
/// writes (dot-stuffing it, RFC 5321 4.5.2), so it cannot re-encode the body; the DKIM body hash is
/// computed from the same spool bytes (<see cref="Dkim.MessageDkimSigning"/>). It is a <see cref="Multipart"/> only so that it can hold an
/// empty 8-bit part when the client declared BODY=8BITMIME: that part is how MailKit decides to
/// say BODY=8BITMIME upstream (RFC 6152), and it is never written.
/// </summary>
internal sealed class VerbatimBody : Multipart
{
    private readonly ClientMessage _message;

    public VerbatimBody(ClientMessage message, bool eightBit)
    {
        _message = message;

        // Multipart's constructor adds a Content-Type field; the client's own is among its fields,
        // and a field here would be written a second time.
        Headers.Clear();
        if (eightBit)
        {
            Add(new MimePart { ContentTransferEncoding = ContentEncoding.EightBit });
        }
    }

    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // Nothing to prepare: the body goes as the client sent it, or not at all.
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        var spool = Body(cancellationToken);
        spool.CopyTo(stream);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        var spool = Body(cancellationToken);
        await spool.CopyToAsync(stream, cancellationToken);
    }

    private Stream Body(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var spool = _message.Spool.OpenRead();
        spool.Position = _message.BodyOffset;
        return spool;
    }
}
