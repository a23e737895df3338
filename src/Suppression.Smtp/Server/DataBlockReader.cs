using System.Buffers;
using Suppression.Smtp.Delivery;

namespace Suppression.Smtp.Server;

/// <summary>
/// Reads the DATA block (RFC 5321 4.1.1.4) up to the terminating "CRLF.CRLF", undoing dot-stuffing
/// (4.5.2) and enforcing the size and text-line limits (4.5.3.1.6). Only a "." line after a line that
/// ended in CRLF terminates the message: treating "LF.LF" or "LF.CRLF" as the end is how SMTP
/// smuggling works, so bare line feeds are refused instead. So are bare carriage returns: we would
/// relay "CR.CR" as text, but an upstream that takes a lone CR for a line end would see the message
/// end there and the rest as commands, a second message that was never checked (RFC 5321 2.3.8
/// allows CR and LF only together, as the line end).
/// What MimeKit will later parse is measured on the way in (<see cref="MessageShapeMeter"/>).
/// </summary>
/// <param name="liberal">
/// For mail to the gateway's own mailboxes (bounces, complaints, unsubscribe requests), which is read
/// and never relayed: smuggling needs a next hop, and a refused bounce is lost for good, since it has
/// no sender to return to. Lines over 1000 octets, bare CR and bare LF are then taken as they come;
/// still only CRLF.CRLF ends the message, and the size and shape limits stay.
/// </param>
internal sealed class DataBlockReader(long maxMessageBytes, MessageShapeLimits? shape = null, bool liberal = false)
{
    // RFC 5321 4.5.3.1.6: 1000 octets including the CRLF.
    public const int MaxTextLineOctets = 1000;

    private bool _atLineStart = true;
    private bool _previousLineEndedWithCrlf = true;
    private long _currentLineLength;
    private DataBlockOutcome _failure = DataBlockOutcome.Complete;
    private readonly MessageShapeMeter _shape = new(shape ?? MessageShapeLimits.None);

    public long Size { get; private set; }

    /// <summary>Consumes complete lines from the buffer; returns the outcome once the terminator is seen.</summary>
    public DataBlockOutcome? Consume(ref ReadOnlySequence<byte> buffer, MessageSpool spool)
    {
        while (buffer.PositionOf((byte)'\n') is { } lineFeed)
        {
            var lineEnd = buffer.GetPosition(1, lineFeed);
            var line = buffer.Slice(0, lineEnd);
            buffer = buffer.Slice(lineEnd);
            if (_atLineStart && _previousLineEndedWithCrlf && IsTerminator(line))
            {
                return _failure;
            }

            var endsWithCrlf = EndsWithCrlf(line);
            var content = _atLineStart && StartsWithDot(line) ? line.Slice(1) : line;
            _currentLineLength += content.Length;
            if (liberal)
            {
                if (Measure(content) is { } exceeded)
                {
                    Fail(exceeded);
                }
            }
            else if (!endsWithCrlf)
            {
                Fail(DataBlockOutcome.BareLineFeed);
            }
            else if (HasCarriageReturn(content.Slice(0, content.Length - 2)))
            {
                Fail(DataBlockOutcome.BareCarriageReturn);
            }
            else if (_currentLineLength > MaxTextLineOctets)
            {
                Fail(DataBlockOutcome.LineTooLong);
            }
            else if (_shape.Observe(content) is { } exceeded)
            {
                Fail(exceeded);
            }

            Append(content, spool);
            _atLineStart = true;
            _previousLineEndedWithCrlf = endsWithCrlf;
            _currentLineLength = 0;
        }

        if (liberal && buffer.Length > MaxTextLineOctets)
        {
            // A long line is taken in pieces rather than buffered whole. The last byte waits for the
            // next read: it may be the CR of the CRLF that the terminator must follow.
            var piece = buffer.Slice(0, buffer.Length - 1);
            var content = _atLineStart && StartsWithDot(piece) ? piece.Slice(1) : piece;
            if (Measure(content) is { } exceeded)
            {
                Fail(exceeded);
            }

            Append(content, spool);
            _atLineStart = false;
            buffer = buffer.Slice(piece.End);
        }

        // A partial line longer than the limit can never become valid: drop what we have of it
        // instead of buffering an unbounded line, and keep reading to the terminator.
        if (buffer.Length > MaxTextLineOctets)
        {
            var content = _atLineStart && StartsWithDot(buffer) ? buffer.Slice(1) : buffer;
            _currentLineLength += content.Length;
            Fail(DataBlockOutcome.LineTooLong);
            _atLineStart = false;
            buffer = buffer.Slice(buffer.End);
        }

        return null;
    }

    // A piece that continues a line already begun adds to that line's counts, not a line of its own.
    private DataBlockOutcome? Measure(ReadOnlySequence<byte> content) =>
        _atLineStart ? _shape.Observe(content) : _shape.ObserveMore(content);

    private void Append(ReadOnlySequence<byte> content, MessageSpool spool)
    {
        Size += content.Length;
        if (Size > maxMessageBytes)
        {
            Fail(DataBlockOutcome.TooLarge);
        }

        if (_failure != DataBlockOutcome.Complete)
        {
            return;
        }

        foreach (var segment in content)
        {
            spool.Write(segment.Span);
        }
    }

    private void Fail(DataBlockOutcome outcome)
    {
        if (_failure == DataBlockOutcome.Complete)
        {
            _failure = outcome;
        }
    }

    // A sequence may begin with an empty segment: its FirstSpan is then empty though the sequence is not.
    private static bool StartsWithDot(ReadOnlySequence<byte> bytes)
    {
        var reader = new SequenceReader<byte>(bytes);
        return reader.TryPeek(out var first) && first == (byte)'.';
    }

    private static bool IsTerminator(ReadOnlySequence<byte> line)
    {
        if (line.Length != 3)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[3];
        line.CopyTo(bytes);
        return bytes.SequenceEqual(".\r\n"u8);
    }

    private static bool HasCarriageReturn(ReadOnlySequence<byte> bytes) => bytes.PositionOf((byte)'\r') is not null;

    private static bool EndsWithCrlf(ReadOnlySequence<byte> line)
    {
        if (line.Length < 2)
        {
            return false;
        }

        Span<byte> last = stackalloc byte[2];
        line.Slice(line.Length - 2).CopyTo(last);
        return last[0] == (byte)'\r';
    }
}
