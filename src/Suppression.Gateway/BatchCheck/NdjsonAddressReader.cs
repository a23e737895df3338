using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Suppression.Checks;

namespace Suppression.Gateway.BatchCheck;

/// <summary>
/// Reads an NDJSON body line by line, in the pipe's own buffers: each non-blank line is a JSON
/// object whose <c>address</c> is a string (other members are ignored). A line that is not one,
/// or longer than <see cref="MaxLineBytes"/>, is an <see cref="AddressInput"/> with a problem, and
/// reading goes on with the next line.
/// </summary>
public static class NdjsonAddressReader
{
    public const int MaxLineBytes = 16 * 1024;

    public static async IAsyncEnumerable<AddressInput> ReadAsync(PipeReader body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        long line = 0;
        var skippingLongLine = false;
        var batch = new List<AddressInput>();
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } lineFeed)
            {
                if (skippingLongLine)
                {
                    skippingLongLine = false;
                }
                else
                {
                    Add(buffer.Slice(0, lineFeed), ++line, batch);
                }

                buffer = buffer.Slice(buffer.GetPosition(1, lineFeed));
            }

            if (read.IsCompleted && !skippingLongLine && !buffer.IsEmpty)
            {
                Add(buffer, ++line, batch);
                buffer = buffer.Slice(buffer.End);
            }
            else if (buffer.Length > MaxLineBytes)
            {
                if (!skippingLongLine)
                {
                    batch.Add(TooLong(++line));
                    skippingLongLine = true;
                }

                buffer = buffer.Slice(buffer.End);
            }

            body.AdvanceTo(buffer.Start, buffer.End);

            // Handed out after AdvanceTo: nothing yielded refers to the pipe's buffers.
            foreach (var input in batch)
            {
                yield return input;
            }

            batch.Clear();
            if (read.IsCompleted)
            {
                break;
            }
        }
    }

    private static void Add(ReadOnlySequence<byte> text, long line, List<AddressInput> batch)
    {
        if (text.Length > MaxLineBytes)
        {
            batch.Add(TooLong(line));
            return;
        }

        ReadOnlySpan<byte> bytes = text.IsSingleSegment ? text.FirstSpan : text.ToArray();
        bytes = bytes.Trim(" \t\r"u8);
        if (!bytes.IsEmpty)
        {
            batch.Add(Parse(bytes, line));
        }
    }

    private static AddressInput TooLong(long line) => new(null, $"line {line}: the line is longer than {MaxLineBytes / 1024} KiB");

    private static AddressInput Unreadable(long line) => new(null, $"line {line}: not a JSON object with an \"address\" string");

    private static AddressInput Parse(ReadOnlySpan<byte> bytes, long line)
    {
        try
        {
            var json = new Utf8JsonReader(bytes);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return Unreadable(line);
            }

            string? address = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var isAddress = json.ValueTextEquals("address"u8);
                json.Read();
                if (isAddress && json.TokenType == JsonTokenType.String)
                {
                    address = json.GetString();
                }
                else
                {
                    json.Skip();
                }
            }

            // The whole line must be that one object: no trailing text.
            return json.TokenType == JsonTokenType.EndObject && json.CurrentDepth == 0 && !json.Read() && address is not null
                ? new AddressInput(address)
                : Unreadable(line);
        }
        catch (JsonException)
        {
            return Unreadable(line);
        }
    }
}
