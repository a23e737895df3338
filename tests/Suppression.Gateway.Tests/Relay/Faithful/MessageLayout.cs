using System.Text;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// A message's bytes as RFC 5322 2.1 lays them out, without interpreting them: the header block as
/// its fields (each with its folded lines and CRLFs, RFC 5322 2.2.3), the empty line, and the body.
/// Any line before the empty line is a field of the block, an mbox "From " line or a line with no
/// colon included: what a relay must keep is every line, not what a parser makes of it.
/// </summary>
public sealed class MessageLayout
{
    private MessageLayout(List<byte[]> headerBlock, bool hasSeparator, int bodyOffset, byte[] data)
    {
        HeaderBlock = headerBlock;
        HasSeparator = hasSeparator;
        BodyOffset = bodyOffset;
        Body = data.AsMemory(bodyOffset);
    }

    public IReadOnlyList<byte[]> HeaderBlock { get; }

    /// <summary>Whether an empty line ends the header block; a message of header fields only may have none.</summary>
    public bool HasSeparator { get; }

    /// <summary>Where the body begins in the message.</summary>
    public int BodyOffset { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public static MessageLayout Of(byte[] data)
    {
        var fields = new List<byte[]>();
        var fieldStart = -1;
        var lineStart = 0;
        while (lineStart < data.Length)
        {
            var lineFeed = Array.IndexOf(data, (byte)'\n', lineStart);
            var lineEnd = lineFeed < 0 ? data.Length : lineFeed + 1;
            var line = data.AsSpan(lineStart, lineEnd - lineStart);
            if (line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8))
            {
                AddField(fields, data, fieldStart, lineStart);
                return new MessageLayout(fields, true, lineEnd, data);
            }

            if (fieldStart < 0 || line[0] is not ((byte)' ' or (byte)'\t'))
            {
                AddField(fields, data, fieldStart, lineStart);
                fieldStart = lineStart;
            }

            lineStart = lineEnd;
        }

        AddField(fields, data, fieldStart, data.Length);
        return new MessageLayout(fields, false, data.Length, data);
    }

    /// <summary>The field name as written (before the colon, trailing white space dropped), or the whole first line when there is no colon.</summary>
    public static string NameOf(byte[] field)
    {
        var end = Array.IndexOf(field, (byte)':');
        var lineEnd = Array.IndexOf(field, (byte)'\r');
        if (end < 0 || (lineEnd >= 0 && lineEnd < end))
        {
            end = lineEnd < 0 ? field.Length : lineEnd;
        }

        return Encoding.Latin1.GetString(field, 0, end).TrimEnd(' ', '\t');
    }

    private static void AddField(List<byte[]> fields, byte[] data, int start, int end)
    {
        if (start >= 0 && end > start)
        {
            fields.Add(data[start..end]);
        }
    }
}
