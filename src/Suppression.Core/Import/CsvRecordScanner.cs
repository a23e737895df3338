using System.Buffers;

namespace Suppression.Import;

/// <summary>
/// Finds the fields of one CSV record (RFC 4180 section 2) at the start of a window of bytes:
/// quoted fields, doubled quotes, delimiters and line breaks inside quotes, CRLF or LF line ends. The
/// window never holds more than <see cref="MaxRecordBytes"/>, which is how long a record may be.
/// Field positions are offsets from the start of the window. The delimiter is a comma unless
/// <see cref="UseDelimiter"/> says otherwise (Brevo and spreadsheets in many locales write semicolons).
/// </summary>
internal sealed class CsvRecordScanner
{
    public const int MaxRecordBytes = 16 * 1024;

    private byte _delimiter = (byte)',';
    private SearchValues<byte> _fieldEnds = SearchValues.Create(",\n"u8);

    private readonly List<int> _fieldsWithDoubledQuotes = [];

    // Offset and length of each field.
    private int[] _fieldBounds = new int[32];

    public enum Outcome
    {
        Complete,
        NeedMoreData,
        TooLong,
    }

    public int FieldCount { get; private set; }

    /// <summary>Why the record could not be split into fields reliably; null when it could.</summary>
    public string? Problem { get; private set; }

    public int FieldStart(int index) => _fieldBounds[2 * index];

    public int FieldLength(int index) => _fieldBounds[(2 * index) + 1];

    public void UseDelimiter(byte delimiter)
    {
        _delimiter = delimiter;
        _fieldEnds = SearchValues.Create([delimiter, (byte)'\n']);
    }

    /// <param name="window">The bytes from the record's start on, at most <see cref="MaxRecordBytes"/>.</param>
    /// <param name="endOfStream">Whether the window reaches the end of the stream.</param>
    /// <param name="length">The record's length, line feed included, when it is complete.</param>
    /// <param name="lineFeeds">How many physical lines the record spans.</param>
    /// <remarks>Nothing is changed in the window, so a scan cut short can start over once more has been read.</remarks>
    public Outcome Scan(ReadOnlySpan<byte> window, bool endOfStream, out int length, out int lineFeeds)
    {
        FieldCount = 0;
        Problem = null;
        _fieldsWithDoubledQuotes.Clear();
        length = 0;
        lineFeeds = 0;

        // What running out of window means: the record is too long, is the last one, or needs more bytes.
        var atWindowEnd = window.Length == MaxRecordBytes ? Outcome.TooLong
            : endOfStream ? Outcome.Complete
            : Outcome.NeedMoreData;
        var position = 0;
        while (true)
        {
            int delimiter;
            var quoted = position < window.Length && window[position] == (byte)'"';
            if (quoted)
            {
                var contentStart = position + 1;
                var closed = TryFindClosingQuote(window, contentStart, out var closingQuote, out var doubledQuotes);
                if (!closed)
                {
                    if (atWindowEnd != Outcome.Complete)
                    {
                        return atWindowEnd;
                    }

                    Problem = "a quoted field is not closed";
                }

                AddField(contentStart, closingQuote - contentStart, doubledQuotes);
                lineFeeds += window[contentStart..closingQuote].Count((byte)'\n');
                delimiter = closed ? IndexOfFieldEnd(window, closingQuote + 1) : window.Length;

                // RFC 4180 2.5 and 2.7: after the closing quote comes a delimiter or the line end, never text.
                var afterQuote = closed ? window[(closingQuote + 1)..delimiter] : [];
                if (!afterQuote.IsEmpty && !afterQuote.SequenceEqual("\r"u8))
                {
                    Problem ??= "a quoted field has text after its closing quote";
                }
            }
            else
            {
                delimiter = IndexOfFieldEnd(window, position);
                AddField(position, delimiter - position, doubledQuotes: false);
            }

            if (delimiter < window.Length && window[delimiter] == _delimiter)
            {
                position = delimiter + 1;
                continue;
            }

            if (delimiter == window.Length)
            {
                if (atWindowEnd != Outcome.Complete)
                {
                    return atWindowEnd;
                }

                length = window.Length;
            }
            else
            {
                lineFeeds++;
                length = delimiter + 1;
            }

            if (!quoted)
            {
                TrimCarriageReturn(window);
            }

            return Outcome.Complete;
        }
    }

    /// <summary>A blank line is skipped rather than read as a row of one empty field.</summary>
    public bool IsBlank(ReadOnlySpan<byte> record) => FieldCount == 1 && record.Trim(" \t\r\n"u8).IsEmpty;

    /// <summary>
    /// RFC 4180 2.7: inside a quoted field a quote is written twice. Undone in place, once the
    /// record is complete and will not be scanned again.
    /// </summary>
    public void UndoDoubledQuotes(Span<byte> record)
    {
        foreach (var index in _fieldsWithDoubledQuotes)
        {
            var field = record.Slice(FieldStart(index), FieldLength(index));
            var length = 0;
            for (var i = 0; i < field.Length; i++)
            {
                field[length++] = field[i];
                if (field[i] == (byte)'"')
                {
                    i++;
                }
            }

            _fieldBounds[(2 * index) + 1] = length;
        }
    }

    private static bool TryFindClosingQuote(ReadOnlySpan<byte> window, int position, out int closingQuote, out bool doubledQuotes)
    {
        doubledQuotes = false;
        while (true)
        {
            var quote = window[position..].IndexOf((byte)'"');
            if (quote < 0)
            {
                closingQuote = window.Length;
                return false;
            }

            quote += position;
            if (quote + 1 < window.Length && window[quote + 1] == (byte)'"')
            {
                doubledQuotes = true;
                position = quote + 2;
                continue;
            }

            // A quote on the window's last byte may turn out to be doubled, but then the record
            // cannot end before more is read either, and the scan starts over with the next byte in view.
            closingQuote = quote;
            return true;
        }
    }

    private int IndexOfFieldEnd(ReadOnlySpan<byte> window, int position)
    {
        var end = window[position..].IndexOfAny(_fieldEnds);
        return end < 0 ? window.Length : position + end;
    }

    private void AddField(int start, int length, bool doubledQuotes)
    {
        // At most one field per byte of the window, so this stays bounded too.
        if (2 * FieldCount == _fieldBounds.Length)
        {
            Array.Resize(ref _fieldBounds, 2 * _fieldBounds.Length);
        }

        _fieldBounds[2 * FieldCount] = start;
        _fieldBounds[(2 * FieldCount) + 1] = length;
        if (doubledQuotes)
        {
            _fieldsWithDoubledQuotes.Add(FieldCount);
        }

        FieldCount++;
    }

    // The CR of a CRLF line end is not part of the last field (when that field is quoted, the CR
    // is already outside it).
    private void TrimCarriageReturn(ReadOnlySpan<byte> window)
    {
        var last = FieldCount - 1;
        if (FieldLength(last) > 0 && window[FieldStart(last) + FieldLength(last) - 1] == (byte)'\r')
        {
            _fieldBounds[(2 * last) + 1]--;
        }
    }
}
