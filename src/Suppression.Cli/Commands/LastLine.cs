using System.Text;

namespace Suppression.Cli.Commands;

/// <summary>
/// The last non-empty line of a stream seen a chunk at a time, without keeping the stream: where a
/// batch check's answer says whether it is complete. A line longer than <see cref="MaxLength"/> is
/// kept only in part (no closing record is that long).
/// </summary>
internal sealed class LastLine
{
    public const int MaxLength = 64 * 1024;

    private readonly List<byte> _current = [];
    private byte[] _previous = [];

    public void Add(ReadOnlyMemory<byte> chunk)
    {
        var span = chunk.Span;
        var end = span.LastIndexOf((byte)'\n');
        if (end < 0)
        {
            Append(span);
            return;
        }

        var start = span[..end].LastIndexOf((byte)'\n');
        if (start >= 0)
        {
            _current.Clear();
            Append(span[(start + 1)..end]);
        }
        else
        {
            Append(span[..end]);
        }

        var line = _current.ToArray();
        if (line.AsSpan().Trim("\r"u8).Length > 0)
        {
            _previous = line;
        }

        _current.Clear();
        Append(span[(end + 1)..]);
    }

    public override string ToString()
    {
        var current = _current.ToArray().AsSpan().Trim("\r"u8);
        return Encoding.UTF8.GetString(current.Length > 0 ? current : _previous.AsSpan().Trim("\r"u8));
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var room = MaxLength - _current.Count;
        if (room > 0)
        {
            _current.AddRange(bytes[..Math.Min(room, bytes.Length)]);
        }
    }
}
