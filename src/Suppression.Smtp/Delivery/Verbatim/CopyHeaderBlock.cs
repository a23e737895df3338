using MimeKit;

namespace Suppression.Smtp.Delivery.Verbatim;

/// <summary>
/// Composes a copy's header block from the amended header-only message: first the fields the
/// gateway made (its DKIM-Signature, Received, List-Unsubscribe, Feedback-ID, in the order they
/// stand there), then the client's fields it kept, each as the client's own bytes and in the
/// client's order, lines that are not fields included. A client field the gateway removed (its
/// X-Suppression-* instructions, a replaced List-Unsubscribe or Feedback-ID) is left out; nothing
/// else is.
/// </summary>
internal static class CopyHeaderBlock
{
    public static byte[] Compose(ClientMessage message) => Compose(Fields(message).ToList(), first: null);

    /// <summary>
    /// The block of <paramref name="lines"/> (as <see cref="Fields"/> listed them) with
    /// <paramref name="first"/>, a field the gateway made after listing them (its signature),
    /// above them: a signed copy's lines are listed once, for the signer and the writer both.
    /// </summary>
    public static byte[] Compose(IReadOnlyList<(ReadOnlyMemory<byte> Bytes, bool IsField)> lines, Header? first)
    {
        var head = first is null ? ReadOnlyMemory<byte>.Empty : GatewayField(first);
        var length = head.Length;
        foreach (var (bytes, _) in lines)
        {
            length += bytes.Length;
        }

        var block = new byte[length];
        head.Span.CopyTo(block);
        var at = head.Length;
        foreach (var (bytes, _) in lines)
        {
            bytes.Span.CopyTo(block.AsSpan(at));
            at += bytes.Length;
        }

        return block;
    }

    /// <summary>
    /// The copy's header block line by line, as <see cref="Compose"/> writes it: each field's bytes
    /// and whether it is a field (a client's line that is not, such as an mbox "From " line, is
    /// relayed but is no field a signature can cover). The DKIM signer hashes exactly these bytes.
    /// </summary>
    public static IEnumerable<(ReadOnlyMemory<byte> Bytes, bool IsField)> Fields(ClientMessage message)
    {
        var kept = new HashSet<object?>(ReferenceEqualityComparer.Instance);
        if (message.Headers.Body is { } body)
        {
            kept.UnionWith(body.Headers);
        }

        foreach (var header in message.Headers.Headers)
        {
            if (message.IsClientField(header))
            {
                kept.Add(header);
            }
            else
            {
                yield return (GatewayField(header), true);
            }
        }

        foreach (var field in message.Fields)
        {
            if (field.Parsed is null)
            {
                yield return (field.Bytes, false);
            }
            else if (kept.Contains(field.Parsed))
            {
                yield return (field.Bytes, true);
            }
        }
    }

    // MimeKit keeps a field it formatted with bare LF line ends (FormatOptions.Default on Unix);
    // on the wire every line ends in CRLF (RFC 5322 2.1), as MimeKit itself writes it.
    private static byte[] GatewayField(Header header)
    {
        var value = header.RawValue;
        using var field = new MemoryStream(header.RawField.Length + value.Length + 8);
        field.Write(header.RawField);
        field.WriteByte((byte)':');
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
            {
                field.WriteByte((byte)'\r');
            }

            field.WriteByte(value[i]);
        }

        return field.ToArray();
    }
}
