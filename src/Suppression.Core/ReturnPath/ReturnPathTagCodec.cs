using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.ReturnPath;

/// <summary>
/// Writes and reads the local part of a copy's return path (VERP): 30 bytes as 48 characters of
/// lower-case base32 (RFC 4648 section 6), well within the 64 octets of RFC 5321 4.5.3.1.1 and
/// unchanged by an MTA that lower-cases local parts. Layout: version (1), key id (1), sending day
/// as days since 1970-01-01 (2, big-endian), class (1), recipient digest (8), tenant/topic digest (5),
/// HMAC-SHA256 over the first 18 bytes truncated to 96 bits (12). The digest of the recipient is keyed,
/// so the tag does not let a reader confirm a guessed address.
/// </summary>
public sealed class ReturnPathTagCodec
{
    public const int EncodedLength = 48;

    private const byte Version = 1;
    private const int TagBytes = 30;
    private const int RecipientDigestSize = 8;
    private const int SignedBytes = 18;
    private const int MacSize = 12;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    private static readonly DateOnly Epoch = new(1970, 1, 1);

    private readonly ReturnPathKeyRing _keys;

    public ReturnPathTagCodec(ReturnPathKeyRing keys, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(validity, TimeSpan.FromDays(1));
        _keys = keys;
        Validity = validity;
    }

    public TimeSpan Validity { get; }

    /// <param name="recipientMatchKey">The recipient's match key (AddressVariantRules.MatchKeyOf), so every spelling of one mailbox gets one digest.</param>
    public string Encode(string recipientMatchKey, string? tenant, string? topic, MessageClass messageClass, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(recipientMatchKey);
        var key = _keys.Current;
        Span<byte> tag = stackalloc byte[TagBytes];
        tag[0] = Version;
        tag[1] = _keys.CurrentId;
        BinaryPrimitives.WriteUInt16BigEndian(tag[2..], checked((ushort)(DateOnly.FromDateTime(sentAt.UtcDateTime).DayNumber - Epoch.DayNumber)));
        tag[4] = (byte)messageClass;
        RecipientDigest(key, recipientMatchKey, tag.Slice(5, RecipientDigestSize));
        ReturnPathContext.Digest(tenant, topic).CopyTo(tag[13..]);
        Mac(key, tag[..SignedBytes], tag[SignedBytes..]);
        return ToBase32(tag);
    }

    public bool TryDecode(string? localPart, DateTimeOffset now, [NotNullWhen(true)] out ReturnPathTag? tag, out TokenRejection reason)
    {
        tag = null;
        Span<byte> bytes = stackalloc byte[TagBytes];
        if (localPart is null || !TryFromBase32(localPart, bytes) || bytes[0] != Version || bytes[4] > (byte)MessageClass.Transactional)
        {
            reason = TokenRejection.Malformed;
            return false;
        }

        if (!_keys.TryGetKey(bytes[1], out var key))
        {
            reason = TokenRejection.UnknownKey;
            return false;
        }

        Span<byte> expected = stackalloc byte[MacSize];
        Mac(key, bytes[..SignedBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[SignedBytes..]))
        {
            reason = TokenRejection.Tampered;
            return false;
        }

        var day = Epoch.AddDays(BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        // A day ahead is allowed for clocks of several gateways that disagree around midnight.
        if (today.DayNumber - day.DayNumber > (int)Validity.TotalDays || day.DayNumber > today.DayNumber + 1)
        {
            reason = TokenRejection.Expired;
            return false;
        }

        tag = new ReturnPathTag(bytes[1], day, (MessageClass)bytes[4], bytes.Slice(5, RecipientDigestSize).ToArray(), bytes.Slice(13, ReturnPathContext.DigestSize).ToArray());
        reason = TokenRejection.None;
        return true;
    }

    /// <summary>Whether the tag was minted for this recipient (by match key); a report naming anyone else affects nobody.</summary>
    public bool Names(ReturnPathTag tag, string recipientMatchKey)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(recipientMatchKey);
        if (!_keys.TryGetKey(tag.KeyId, out var key))
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[RecipientDigestSize];
        RecipientDigest(key, recipientMatchKey, digest);
        return CryptographicOperations.FixedTimeEquals(digest, tag.RecipientDigest.Span);
    }

    private static void RecipientDigest(ReadOnlySpan<byte> key, string matchKey, Span<byte> destination)
    {
        // Prefixed so that no recipient digest can equal the MAC of some tag's bytes.
        var input = Encoding.UTF8.GetBytes("recipient\0" + matchKey);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, input, full);
        full[..destination.Length].CopyTo(destination);
    }

    private static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signed, full);
        full[..destination.Length].CopyTo(destination);
    }

    private static string ToBase32(ReadOnlySpan<byte> bytes)
    {
        // 30 bytes are exactly 48 groups of 5 bits: no padding, no stray bits.
        var text = new StringBuilder(EncodedLength);
        for (var bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            text.Append(Alphabet[ReadFiveBits(bytes, bit)]);
        }

        return text.ToString();
    }

    // Upper case is read too: some MTAs change the case of the local part they return to.
    private static bool TryFromBase32(string text, Span<byte> destination)
    {
        if (text.Length != EncodedLength)
        {
            return false;
        }

        destination.Clear();
        for (var i = 0; i < text.Length; i++)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(text[i]), StringComparison.Ordinal);
            if (value < 0 || !char.IsAscii(text[i]))
            {
                return false;
            }

            for (var b = 0; b < 5; b++)
            {
                if ((value & (0x10 >> b)) != 0)
                {
                    var bit = (i * 5) + b;
                    destination[bit / 8] |= (byte)(0x80 >> (bit % 8));
                }
            }
        }

        return true;
    }

    private static int ReadFiveBits(ReadOnlySpan<byte> bytes, int start)
    {
        var value = 0;
        for (var b = 0; b < 5; b++)
        {
            var bit = start + b;
            value = (value << 1) | ((bytes[bit / 8] >> (7 - (bit % 8))) & 1);
        }

        return value;
    }
}
