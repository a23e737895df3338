using System.Buffers;
using System.Security.Cryptography;

namespace Suppression.Import;

/// <summary>
/// Reads a UTF-8 CSV stream record by record, counting physical lines, skipping a leading
/// byte-order mark and blank lines. Memory is one fixed buffer whatever the file's size, so a
/// record may not be longer than <see cref="CsvRecordScanner.MaxRecordBytes"/>: a longer one is
/// returned with a <see cref="Problem"/> and reading resumes after the next line feed. Every byte
/// read also goes into a SHA-256 digest. Fields are split at commas, or at semicolons when the first
/// line has semicolons and no comma (Brevo's exports, and spreadsheets saved where the comma is the
/// decimal separator).
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    // A partial record moved to the front leaves at least three quarters of the buffer to fill.
    private const int BufferBytes = 4 * CsvRecordScanner.MaxRecordBytes;

    private readonly Stream _stream;
    private readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly CsvRecordScanner _scanner = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);

    // _buffer[_start.._end] holds the bytes read but not yet parsed; the current record starts at _recordStart.
    private int _start;
    private int _end;
    private int _recordStart;
    private bool _endOfStream;
    private bool _byteOrderMarkChecked;
    private bool _delimiterChosen;
    private bool _skippingToLineEnd;
    private long _nextLine = 1;

    public CsvRecordReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>The physical line on which the current record starts.</summary>
    public long Line { get; private set; }

    public int FieldCount { get; private set; }

    /// <summary>Why the current record could not be split into fields reliably; null when it could.</summary>
    public string? Problem { get; private set; }

    /// <summary>Set once the stream has been read to its end.</summary>
    public string? FileDigest { get; private set; }

    /// <summary>The field's bytes with quoting undone; valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlySpan<byte> Field(int index) =>
        _buffer.AsSpan(_recordStart + _scanner.FieldStart(index), _scanner.FieldLength(index));

    /// <returns>False at the end of the stream.</returns>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) =>
        TryReadRecord() ? ValueTask.FromResult(true) : FillAndReadAsync(cancellationToken);

    public void Dispose()
    {
        _digest.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private async ValueTask<bool> FillAndReadAsync(CancellationToken cancellationToken)
    {
        while (!_endOfStream)
        {
            await FillAsync(cancellationToken);
            if (TryReadRecord())
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _endOfStream = true;
            FileDigest = Convert.ToHexStringLower(_digest.GetHashAndReset());
            return;
        }

        _digest.AppendData(_buffer, _end, read);
        _end += read;
    }

    // False when more bytes are needed, or at the end of the stream when none are left.
    private bool TryReadRecord()
    {
        while (true)
        {
            if ((!_byteOrderMarkChecked && !TrySkipByteOrderMark()) || (!_delimiterChosen && !TryChooseDelimiter())
                || (_skippingToLineEnd && !TrySkipToLineEnd()) || _start == _end)
            {
                return false;
            }

            var window = _buffer.AsSpan(_start, Math.Min(_end - _start, CsvRecordScanner.MaxRecordBytes));
            var outcome = _scanner.Scan(window, _endOfStream, out var length, out var lineFeeds);
            if (outcome == CsvRecordScanner.Outcome.NeedMoreData)
            {
                return false;
            }

            Line = _nextLine;
            if (outcome == CsvRecordScanner.Outcome.TooLong)
            {
                AbandonTooLongRecord(window);
                return true;
            }

            _nextLine += lineFeeds;
            _recordStart = _start;
            _start += length;
            var record = _buffer.AsSpan(_recordStart, length);
            if (!_scanner.IsBlank(record))
            {
                _scanner.UndoDoubledQuotes(record);
                FieldCount = _scanner.FieldCount;
                Problem = _scanner.Problem;
                return true;
            }
        }
    }

    private bool TrySkipByteOrderMark()
    {
        ReadOnlySpan<byte> utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];
        if (_end - _start < utf8ByteOrderMark.Length && !_endOfStream)
        {
            return false;
        }

        if (_buffer.AsSpan(_start, _end - _start).StartsWith(utf8ByteOrderMark))
        {
            _start += utf8ByteOrderMark.Length;
        }

        _byteOrderMarkChecked = true;
        return true;
    }

    // Decided once, on the first line (whole, or as much of it as a record may hold).
    private bool TryChooseDelimiter()
    {
        var available = _buffer.AsSpan(_start, Math.Min(_end - _start, CsvRecordScanner.MaxRecordBytes));
        var lineFeed = available.IndexOf((byte)'\n');
        if (lineFeed < 0 && !_endOfStream && available.Length < CsvRecordScanner.MaxRecordBytes)
        {
            return false;
        }

        var firstLine = lineFeed < 0 ? available : available[..lineFeed];
        if (firstLine.Contains((byte)';') && !firstLine.Contains((byte)','))
        {
            _scanner.UseDelimiter((byte)';');
        }

        _delimiterChosen = true;
        return true;
    }

    // A record that outgrew the limit is given up where the limit falls; quotes in what follows
    // cannot be trusted, so the next record starts after the next line feed, quoted or not.
    private void AbandonTooLongRecord(ReadOnlySpan<byte> window)
    {
        FieldCount = 0;
        Problem = "the record is longer than 16 KiB";
        _nextLine += window.Count((byte)'\n');
        _start += window.Length;
        _skippingToLineEnd = true;
    }

    private bool TrySkipToLineEnd()
    {
        var lineFeed = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (lineFeed < 0)
        {
            _start = _end;
            return false;
        }

        _start += lineFeed + 1;
        _nextLine++;
        _skippingToLineEnd = false;
        return true;
    }
}
