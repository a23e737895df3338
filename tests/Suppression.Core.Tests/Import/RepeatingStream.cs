namespace Suppression.Core.Tests.Import;

/// <summary>
/// A large file that is never held in memory: a prefix, one byte repeated <c>repeat</c> times,
/// then a suffix. Reads complete synchronously.
/// </summary>
internal sealed class RepeatingStream(byte[] prefix, byte repeated, long repeat, byte[] suffix) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + repeat + suffix.Length;

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < Length)
        {
            var target = buffer[written..];
            int count;
            if (_position < prefix.Length)
            {
                count = Math.Min(target.Length, prefix.Length - (int)_position);
                prefix.AsSpan((int)_position, count).CopyTo(target);
            }
            else if (_position < prefix.Length + repeat)
            {
                count = (int)Math.Min(target.Length, prefix.Length + repeat - _position);
                target[..count].Fill(repeated);
            }
            else
            {
                var offset = (int)(_position - prefix.Length - repeat);
                count = Math.Min(target.Length, suffix.Length - offset);
                suffix.AsSpan(offset, count).CopyTo(target);
            }

            written += count;
            _position += count;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
