using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Suppression.Addresses;

namespace Suppression.Unsubscribe;

/// <summary>
/// The plaintext inside a token: issued-at as big-endian uint32 Unix seconds (good until 2106), then
/// tenant and topic as UTF-8 with a one-byte length (0 = none), then the recipient as UTF-8 with a
/// two-byte big-endian length. In version 1 nothing may follow. Version 2 (what is written now) is
/// padded with zero bytes to one of <see cref="PaddedSizes"/>, so the link's length does not tell
/// the address's: addresses of 1 to 80 bytes with a short tenant and topic all make links of one of
/// two lengths.
/// </summary>
internal static class UnsubscribeTokenPayload
{
    public const int MaxNameBytes = byte.MaxValue;

    // RFC 5321 4.5.3.1.1 and 4.5.3.1.2: 64-octet local part, '@', 255-octet domain.
    public const int MaxRecipientBytes = 64 + 1 + 255;

    public const int MinSize = 4 + 1 + 1 + 2 + 3;

    public const int MaxSize = 4 + 1 + MaxNameBytes + 1 + MaxNameBytes + 2 + MaxRecipientBytes;

    /// <summary>The sizes a version 2 payload is padded to; the smallest that fits is used.</summary>
    public static ReadOnlySpan<int> PaddedSizes => [48, 96, 192, 384, MaxSize];

    public static int MinPaddedSize => PaddedSizes[0];

    /// <summary>The size of the padded (version 2) payload of a token that measures <paramref name="measured"/> bytes.</summary>
    public static int PaddedSize(int measured)
    {
        foreach (var size in PaddedSizes)
        {
            if (measured <= size)
            {
                return size;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(measured), measured, $"A payload is at most {MaxSize} bytes.");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int Measure(UnsubscribeToken token)
    {
        if (token.Recipient.LocalPart is null)
        {
            throw new ArgumentException("The token has no recipient.", nameof(token));
        }

        var seconds = token.IssuedAt.ToUnixTimeSeconds();
        if (seconds is < 0 or > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token.IssuedAt, "Issued-at must fall between 1970 and 2106.");
        }

        var recipient = ByteCount(token.Recipient.Value, "recipient");
        if (recipient > MaxRecipientBytes)
        {
            throw new ArgumentException($"The recipient is longer than {MaxRecipientBytes} UTF-8 bytes.", nameof(token));
        }

        return 4 + 1 + NameByteCount(token.Tenant, "tenant") + 1 + NameByteCount(token.Topic, "topic") + 2 + recipient;
    }

    // The caller has measured the token, so it fits; whatever of destination is left is padding.
    public static void Write(UnsubscribeToken token, Span<byte> destination)
    {
        destination.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)token.IssuedAt.ToUnixTimeSeconds());
        var position = 4;
        position += WriteName(token.Tenant, destination[position..]);
        position += WriteName(token.Topic, destination[position..]);
        var length = StrictUtf8.GetBytes(token.Recipient.Value, destination[(position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)length);
    }

    /// <param name="padded">Version 2: zero bytes may follow, up to one of <see cref="PaddedSizes"/>.</param>
    public static bool TryRead(ReadOnlySpan<byte> source, bool padded, [NotNullWhen(true)] out UnsubscribeToken? token)
    {
        token = null;
        try
        {
            if (source.Length < MinSize || (padded && !PaddedSizes.Contains(source.Length)))
            {
                return false;
            }

            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32BigEndian(source));
            source = source[4..];
            if (!TryReadName(ref source, out var tenant) || !TryReadName(ref source, out var topic) || source.Length < 2)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(source);
            source = source[2..];
            if (padded && length <= source.Length && !source[length..].ContainsAnyExcept((byte)0))
            {
                source = source[..length];
            }

            if (length != source.Length || length > MaxRecipientBytes
                || !AddressNormalizer.TryNormalize(StrictUtf8.GetString(source), out var recipient, out _))
            {
                return false;
            }

            token = new UnsubscribeToken(recipient, tenant, topic, issuedAt);
            return true;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 (DecoderFallbackException is an ArgumentException).
            return false;
        }
    }

    private static int NameByteCount(string? name, string what)
    {
        var count = name is null ? 0 : ByteCount(name, what);
        return count <= MaxNameBytes
            ? count
            : throw new ArgumentException($"The {what} is longer than {MaxNameBytes} UTF-8 bytes.", nameof(name));
    }

    private static int ByteCount(string text, string what)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"The {what} is not valid Unicode.", nameof(text));
        }
    }

    private static int WriteName(string? name, Span<byte> destination)
    {
        var length = name is null ? 0 : StrictUtf8.GetBytes(name, destination[1..]);
        destination[0] = (byte)length;
        return 1 + length;
    }

    private static bool TryReadName(ref ReadOnlySpan<byte> source, out string? name)
    {
        name = null;
        if (source.Length < 1 || source.Length < 1 + source[0])
        {
            return false;
        }

        var length = source[0];
        if (length > 0)
        {
            name = StrictUtf8.GetString(source.Slice(1, length));
        }

        source = source[(1 + length)..];
        return true;
    }
}
