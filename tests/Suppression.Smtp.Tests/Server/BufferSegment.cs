using System.Buffers;
using System.Text;

namespace Suppression.Smtp.Tests.Server;

/// <summary>Builds a ReadOnlySequence from several segments, as a pipe does when data arrives in pieces.</summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Sequence(params string[] parts) =>
        Sequence(parts.Select(part => Encoding.Latin1.GetBytes(part)).ToArray());

    public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new BufferSegment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            var next = new BufferSegment(part, last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: every possible boundary at once.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(string text) =>
        Sequence(Encoding.Latin1.GetBytes(text).Select(b => new[] { b }).ToArray());
}
