using System.Text;
using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// One recipient's copy in the form MailKit sends and the pickup directory writes: the header
/// block the gateway composed, then the client's body bytes. MimeKit writes a message's fields as
/// each one's name, a colon and its raw value, so the whole block is carried as the raw value of
/// one field named after its first (an explicit raw value is never reformatted, not even for
/// SMTPUTF8); then the empty line, when the client's message had one, and the body.
/// </summary>
public sealed class VerbatimCopy : MimeMessage
{
    private readonly Header _block;
    private readonly long _separatorAndBody;

    private VerbatimCopy(Header block, VerbatimBody body, bool hasBodySeparator, long separatorAndBody)
        : base([block])
    {
        _block = block;
        _separatorAndBody = separatorAndBody;
        Body = body;
        MimeKitWriting.WriteAsParsed(this, hasBodySeparator);
    }

    /// <summary>The copy's length in octets before dot-stuffing (RFC 1870 SIZE).</summary>
    public long Size { get; private set; }

    /// <summary>Whether the client declared an 8-bit body (RFC 6152 BODY=8BITMIME).</summary>
    public bool EightBitMime => Body is VerbatimBody { Count: > 0 };

    /// <summary>Signs a message as this copy was signed (its first field is then the gateway's DKIM-Signature); null when it was not.</summary>
    internal Func<MimeMessage, bool>? SignAgain { get; init; }

    /// <summary>
    /// This copy converted to 7 bit, for an upstream without 8BITMIME when the operator allows it
    /// (Suppression:Upstream:Downgrade8Bit; RFC 6152 3 lets a relay convert, RFC 6376 5 wants the
    /// signature made after): parsed whole, the gateway's signature taken off, every 8-bit part
    /// re-encoded (quoted-printable or base64, MimeKit's choice), and signed again. The one case
    /// in which the gateway writes a message in another form than the client sent it.
    /// </summary>
    public MimeMessage DowngradedTo7Bit()
    {
        using var bytes = new MemoryStream((int)Math.Min(Size, int.MaxValue));
        WriteTo(FormatOptions.Default, bytes);
        bytes.Position = 0;
        var message = MimeMessage.Load(bytes);
        if (SignAgain is not null && message.Headers.Count > 0 && message.Headers[0].Id == HeaderId.DkimSignature)
        {
            message.Headers.RemoveAt(0);
        }

        message.Prepare(EncodingConstraint.SevenBit, 998);
        SignAgain?.Invoke(message);
        return message;
    }

    /// <summary>
    /// The client's message exactly as it came, for passing on a report unchanged (a tenant's
    /// bounce forwarding); null when its first line is not a field (such a copy could not be written
    /// this way, and a report that odd is kept for a person anyway).
    /// </summary>
    internal static VerbatimCopy? AsReceived(ClientMessage message, bool eightBitMime)
    {
        if (message.Fields.Count == 0 || message.Fields[0].Parsed is null)
        {
            return null;
        }

        using var block = new MemoryStream();
        foreach (var field in message.Fields)
        {
            block.Write(field.Bytes.Span);
        }

        return Of(block.ToArray(), message, eightBitMime);
    }

    /// <param name="headerBlock">Every field of the copy, each ending in CRLF; it begins with one of the gateway's.</param>
    internal static VerbatimCopy Of(byte[] headerBlock, ClientMessage message, bool eightBitMime, Func<MimeMessage, bool>? signAgain = null)
    {
        var colon = FirstColon(headerBlock);
        var block = new Header(Encoding.ASCII.GetString(headerBlock, 0, colon), string.Empty);
        var copy = new VerbatimCopy(block, new VerbatimBody(message, eightBitMime), message.HasBodySeparator, (message.HasBodySeparator ? 2 : 0) + message.BodyLength)
        {
            SignAgain = signAgain,
        };
        copy.Carry(headerBlock, colon);
        return copy;
    }

    /// <summary>
    /// The next recipient's copy of the same message in this shell, when its header block begins
    /// with a field of the same name (a message's copies all begin with the gateway's signature, or
    /// all with its Received field): one shell per message rather than one per copy. Relayed copies
    /// go one after the other, so the previous one has been sent by then.
    /// </summary>
    internal bool TryCarry(byte[] headerBlock)
    {
        var colon = FirstColon(headerBlock);
        if (colon != _block.RawField.Length || !headerBlock.AsSpan(0, colon).SequenceEqual(_block.RawField))
        {
            return false;
        }

        Carry(headerBlock, colon);
        return true;
    }

    private void Carry(byte[] headerBlock, int colon)
    {
        _block.SetRawValue(headerBlock[(colon + 1)..]);
        Size = headerBlock.Length + _separatorAndBody;
    }

    private static int FirstColon(byte[] headerBlock)
    {
        var colon = Array.IndexOf(headerBlock, (byte)':');
        return colon > 0 ? colon : throw new ArgumentException("A copy's header block begins with a field of the gateway's own.", nameof(headerBlock));
    }
}
