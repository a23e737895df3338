using System.Buffers;

namespace Suppression.Smtp.Server;

/// <summary>
/// Measures a message line by line as it is received, before anything parses it: the size of the
/// header block (RFC 5322 2.1, up to the first empty line), the longest header field with its folded
/// lines (2.2.3), wherever one appears (a MIME part's header or an attached message's is parsed as
/// the message's own is), and the lines that could be MIME boundaries. MimeKit 4.18's header parse
/// is quadratic in a field's length (its issue #919: a 4 MB folded field took 27 s of CPU) and each
/// MIME part costs it kilobytes, so these are what bound a stranger's cost.
/// </summary>
internal sealed class MessageShapeMeter(MessageShapeLimits limits)
{
    private bool _inHeaderBlock = true;
    private long _headerBytes;
    private long _fieldBytes;
    private int _boundaryLines;

    /// <summary>Takes one line, dot-stuffing undone and CRLF included; returns the limit it broke, if any.</summary>
    public DataBlockOutcome? Observe(ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(line);
        if (!reader.TryPeek(out var first) || first == (byte)'\r')
        {
            // The empty line: the top header block ends here, and no field continues past it.
            _inHeaderBlock = false;
            _fieldBytes = 0;
            return null;
        }

        if (_inHeaderBlock && (_headerBytes += line.Length) > limits.MaxHeaderBytes)
        {
            return DataBlockOutcome.HeaderTooLarge;
        }

        if (first is (byte)' ' or (byte)'\t')
        {
            // A folded line continues the field above it, if there is one (RFC 5322 2.2.3).
            _fieldBytes = _fieldBytes > 0 ? _fieldBytes + line.Length : 0;
        }
        else
        {
            _fieldBytes = StartsWithFieldName(reader) ? line.Length : 0;
        }

        if (_fieldBytes > limits.MaxHeaderFieldBytes)
        {
            return DataBlockOutcome.HeaderFieldTooLarge;
        }

        return first == (byte)'-' && reader.IsNext("--"u8) && ++_boundaryLines > limits.MaxBoundaryLines
            ? DataBlockOutcome.TooManyParts
            : null;
    }

    /// <summary>Takes more of a line whose start went to <see cref="Observe"/>: a line over 1000 octets, read in pieces.</summary>
    public DataBlockOutcome? ObserveMore(ReadOnlySequence<byte> rest)
    {
        if (_inHeaderBlock && (_headerBytes += rest.Length) > limits.MaxHeaderBytes)
        {
            return DataBlockOutcome.HeaderTooLarge;
        }

        return _fieldBytes > 0 && (_fieldBytes += rest.Length) > limits.MaxHeaderFieldBytes
            ? DataBlockOutcome.HeaderFieldTooLarge
            : null;
    }

    // RFC 5322 2.2: field-name = 1*ftext (printable ASCII but ':'), then ':'; 4.5.1 (obsolete syntax,
    // which MimeKit reads) allows white space before the colon.
    private static bool StartsWithFieldName(SequenceReader<byte> reader)
    {
        var nameLength = 0;
        while (reader.TryRead(out var next))
        {
            if (next == (byte)':')
            {
                return nameLength > 0;
            }

            if (next is (byte)' ' or (byte)'\t')
            {
                reader.AdvancePastAny((byte)' ', (byte)'\t');
                return nameLength > 0 && reader.IsNext((byte)':');
            }

            if (next is < 33 or > 126)
            {
                return false;
            }

            nameLength++;
        }

        return false;
    }
}
