using MimeKit;

namespace Suppression.Smtp.Messages.Verbatim;

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
    public static byte[] Compose(ClientMessage message)
    {
        var kept = new HashSet<object?>(ReferenceEqualityComparer.Instance);
        if (message.Headers.Body is { } body)
        {
            kept.UnionWith(body.Headers);
        }

        using var block = new MemoryStream(4096);
        foreach (var header in message.Headers.Headers)
        {
            if (message.IsClientField(header))
            {
                kept.Add(header);
            }
            else
            {
                WriteGatewayField(block, header);
            }
        }

        foreach (var field in message.Fields)
        {
            if (field.Parsed is null || kept.Contains(field.Parsed))
            {
                block.Write(field.Bytes.Span);
            }
        }

        return block.ToArray();
    }

    // MimeKit keeps a field it formatted with bare LF line ends (FormatOptions.Default on Unix);
    // on the wire every line ends in CRLF (RFC 5322 2.1), as MimeKit itself writes it.
    private static void WriteGatewayField(MemoryStream block, Header header)
    {
        block.Write(header.RawField);
        block.WriteByte((byte)':');
        var value = header.RawValue;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r'))
            {
                block.WriteByte((byte)'\r');
            }

            block.WriteByte(value[i]);
        }
    }
}
