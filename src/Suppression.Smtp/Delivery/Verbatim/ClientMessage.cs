using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// The client's message as the gateway relays it: the bytes of each header field as they came, a
/// header-only <see cref="MimeMessage"/> to read and amend them, and where the body starts in the
/// spool. The body is never parsed here and never written in another form: every copy is the
/// gateway's own fields, the client's fields it keeps (byte for byte, in order), and the body bytes.
/// </summary>
public sealed class ClientMessage
{
    private static readonly ParserOptions Parsing = ParserOptions.Default.Clone();

    private readonly HashSet<object?> _clientHeaders;

    private ClientMessage(MessageSpool spool, List<ClientHeaderField> fields, long bodyOffset, bool hasBodySeparator)
    {
        Spool = spool;
        Fields = fields;
        BodyOffset = bodyOffset;
        HasBodySeparator = hasBodySeparator;
        var parsed = fields.Where(field => field.Parsed is not null).Select(field => field.Parsed!).ToList();
        _clientHeaders = parsed.ToHashSet<object?>(ReferenceEqualityComparer.Instance);

        // MimeKit keeps the top-level Content-* fields with the body, as its parser would; the rest
        // are the message's.
        var body = new VerbatimBody(this, eightBit: false);
        foreach (var header in parsed.Where(IsContentField))
        {
            body.Headers.Add(header);
        }

        Headers = new MimeMessage(parsed.Where(header => !IsContentField(header))) { Body = body };
    }

    public MessageSpool Spool { get; }

    /// <summary>The client's header block, field by field, in the order it came.</summary>
    public IReadOnlyList<ClientHeaderField> Fields { get; }

    /// <summary>
    /// The client's fields as MimeKit reads them, to classify and amend: what the gateway adds or
    /// removes here decides what a copy carries. Its body holds the Content-* fields, as MimeKit's
    /// own parser would put them, and writes the spool's body bytes.
    /// </summary>
    public MimeMessage Headers { get; }

    /// <summary>The first body byte in the spool (after the empty line), or the spool's length when there is no body.</summary>
    public long BodyOffset { get; }

    public long BodyLength => Spool.Length - BodyOffset;

    /// <summary>
    /// Why this is not an Internet message the gateway can add its fields to, or null: a header
    /// section that begins with white space would fold into the field before it, and one with no
    /// field at all is not a header section (RFC 5322 2.2, 3.5), unless it is an mbox "From " line
    /// alone, as MimeKit reads it. Lines that are not fields among fields (an mbox "From " line, a
    /// byte-order mark) are relayed as they are.
    /// </summary>
    public string? FormatProblem =>
        Fields.Count > 0 && Fields[0].Bytes.Span[0] is (byte)' ' or (byte)'\t' ? "its header section begins with white space"
        : Fields.All(line => line.Parsed is null) && !(Fields.Count > 0 && Fields[0].Bytes.Span.StartsWith("From "u8)) ? "it has no header field"
        : null;

    /// <summary>Whether the client's header block ended with an empty line (RFC 5322 2.1: only needed before a body).</summary>
    public bool HasBodySeparator { get; }

    private static bool IsContentField(Header header) => header.Field.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="header"/> is one of the client's own fields (not one the gateway made).</summary>
    public bool IsClientField(Header header) => _clientHeaders.Contains(header);

    /// <summary>
    /// Reads the header block: lines up to the first empty one, each field its first line and the
    /// lines that begin with white space after it (RFC 5322 2.2, 2.2.3). The DATA reader has bounded
    /// the block already (Smtp:MaxHeaderBytes) and refused bare CR and LF for relayed mail.
    /// </summary>
    public static ClientMessage Read(MessageSpool spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        var block = ReadHeaderBlock(spool.OpenRead(), out var separatorLength);
        var fields = new List<ClientHeaderField>();
        var start = 0;
        var position = 0;
        while (position < block.Length)
        {
            var lineEnd = Array.IndexOf(block, (byte)'\n', position);
            lineEnd = lineEnd < 0 ? block.Length : lineEnd + 1;
            var next = lineEnd;
            var continues = next < block.Length && block[next] is (byte)' ' or (byte)'\t';
            if (!continues)
            {
                fields.Add(Field(block, start, next - start));
                start = next;
            }

            position = next;
        }

        return new ClientMessage(spool, fields, block.Length + separatorLength, separatorLength > 0);
    }

    private static ClientHeaderField Field(byte[] block, int start, int length)
    {
        var bytes = new ReadOnlyMemory<byte>(block, start, length);
        return new ClientHeaderField(bytes, Header.TryParse(Parsing, block, start, length, out var header) ? header : null);
    }

    // The header block without its closing empty line; separatorLength is that line's length (2 for
    // CRLF), or 0 when the message ends without one.
    private static byte[] ReadHeaderBlock(Stream stream, out int separatorLength)
    {
        using var block = new MemoryStream();
        var buffer = new byte[8192];
        var scanned = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            block.Write(buffer, 0, read);
            var bytes = block.GetBuffer();
            var length = (int)block.Length;

            // A message may begin with the empty line: no header fields at all.
            if (scanned == 0 && length >= 2 && bytes[0] == '\r' && bytes[1] == '\n')
            {
                separatorLength = 2;
                return [];
            }

            for (var i = Math.Max(scanned - 3, 0); i + 3 < length; i++)
            {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
                {
                    separatorLength = 2;
                    return bytes.AsSpan(0, i + 2).ToArray();
                }
            }

            scanned = length;
        }

        separatorLength = 0;
        return block.ToArray();
    }
}
