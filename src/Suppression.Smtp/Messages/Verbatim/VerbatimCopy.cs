using System.Text;
using MimeKit;

namespace Suppression.Smtp.Messages.Verbatim;

/// <summary>
/// One recipient's copy in the form MailKit sends and the pickup directory writes: the header
/// block the gateway composed, then the client's body bytes. MimeKit writes a message's fields as
/// each one's name, a colon and its raw value, so the whole block is carried as the raw value of
/// one field named after its first (an explicit raw value is never reformatted, not even for
/// SMTPUTF8); then the empty line, when the client's message had one, and the body.
/// </summary>
public sealed class VerbatimCopy : MimeMessage
{
    private VerbatimCopy(Header block, VerbatimBody body, bool hasBodySeparator, long size)
        : base([block])
    {
        Body = body;
        Size = size;
        MimeKitWriting.WriteAsParsed(this, hasBodySeparator);
    }

    /// <summary>The copy's length in octets before dot-stuffing (RFC 1870 SIZE).</summary>
    public long Size { get; }

    /// <summary>Whether the client declared an 8-bit body (RFC 6152 BODY=8BITMIME).</summary>
    public bool EightBitMime => Body is VerbatimBody { Count: > 0 };

    /// <param name="headerBlock">Every field of the copy, each ending in CRLF; it begins with one of the gateway's.</param>
    internal static VerbatimCopy Of(byte[] headerBlock, ClientMessage message, bool eightBitMime)
    {
        var colon = Array.IndexOf(headerBlock, (byte)':');
        if (colon <= 0)
        {
            throw new ArgumentException("A copy's header block begins with a field of the gateway's own.", nameof(headerBlock));
        }

        var block = new Header(Encoding.ASCII.GetString(headerBlock, 0, colon), string.Empty);
        block.SetRawValue(headerBlock[(colon + 1)..]);
        var separator = message.HasBodySeparator ? 2 : 0;
        return new VerbatimCopy(block, new VerbatimBody(message, eightBitMime), message.HasBodySeparator, headerBlock.Length + separator + message.BodyLength);
    }
}
