using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Suppression.Addresses;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

/// <summary>A link's length does not tell the address's, and the links already in mailboxes (version 1, unpadded) keep working.</summary>
public sealed class UnsubscribeTokenPaddingTests
{
    private static readonly TokenKey Key = TestKeys.Key(1);
    private static readonly UnsubscribeTokenCodec Codec = TestKeys.Codec(Key);

    [Theory]
    [InlineData("acme", null)]
    [InlineData("acme", "deals")]
    [InlineData(null, null)]
    public void Addresses_of_5_to_60_characters_give_links_of_at_most_two_lengths(string? tenant, string? topic)
    {
        var lengths = new HashSet<int>();
        for (var length = 5; length <= 60; length++)
        {
            var address = new string('x', length - 4) + "@b.c";
            Assert.Equal(length, address.Length);
            lengths.Add(Codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), tenant, topic, TestKeys.IssuedAt)).Length);
        }

        Assert.InRange(lengths.Count, 1, 2);
    }

    [Fact]
    public void A_version_1_link_from_before_padding_still_works()
    {
        var token = new UnsubscribeToken(AddressNormalizer.Normalize("jane.doe@example.com"), "acme", "newsletter", TestKeys.IssuedAt);
        var old = Seal(version: 1, Payload(token));

        Assert.True(Codec.TryDecode(old, TestKeys.IssuedAt.AddDays(59), out var decoded, out var reason), reason.ToString());
        Assert.Equal(token, decoded);
        Assert.True(old.Length < Codec.Encode(token).Length, "the old link was not shorter: the test does not build an unpadded one");
    }

    [Fact]
    public void Padding_must_be_zeros_to_one_of_the_sizes_and_an_unpadded_payload_is_not_version_2()
    {
        var token = new UnsubscribeToken(AddressNormalizer.Normalize("jane@example.com"), "acme", null, TestKeys.IssuedAt);
        var payload = Payload(token);
        var padded = new byte[48];
        payload.CopyTo(padded, 0);

        Assert.True(Codec.TryDecode(Seal(2, padded), TestKeys.IssuedAt, out _, out _));
        padded[^1] = 1;
        Assert.False(Codec.TryDecode(Seal(2, padded), TestKeys.IssuedAt, out _, out var nonZero));
        Assert.Equal(TokenRejection.Malformed, nonZero);
        Assert.False(Codec.TryDecode(Seal(2, [.. payload, 0, 0]), TestKeys.IssuedAt, out _, out var oddSize));
        Assert.Equal(TokenRejection.Malformed, oddSize);
        Assert.False(Codec.TryDecode(Seal(2, payload), TestKeys.IssuedAt, out _, out _));
        Assert.False(Codec.TryDecode(Seal(1, padded[..^1]), TestKeys.IssuedAt, out _, out _));
    }

    // The version 1 payload, as UnsubscribeTokenPayload wrote it before padding.
    private static byte[] Payload(UnsubscribeToken token)
    {
        var payload = new List<byte>();
        var issued = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(issued, (uint)token.IssuedAt.ToUnixTimeSeconds());
        payload.AddRange(issued);
        foreach (var name in new[] { token.Tenant, token.Topic })
        {
            var bytes = Encoding.UTF8.GetBytes(name ?? string.Empty);
            payload.Add((byte)bytes.Length);
            payload.AddRange(bytes);
        }

        var recipient = Encoding.UTF8.GetBytes(token.Recipient.Value);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)recipient.Length);
        payload.AddRange(length);
        payload.AddRange(recipient);
        return [.. payload];
    }

    private static string Seal(byte version, byte[] plaintext)
    {
        var sealedToken = new byte[2 + 12 + plaintext.Length + 16];
        sealedToken[0] = version;
        sealedToken[1] = Key.Id;
        RandomNumberGenerator.Fill(sealedToken.AsSpan(2, 12));
        using var aes = new AesGcm(Key.Material, 16);
        aes.Encrypt(sealedToken.AsSpan(2, 12), plaintext, sealedToken.AsSpan(14, plaintext.Length), sealedToken.AsSpan(^16), sealedToken.AsSpan(0, 2));
        return Base64Url.EncodeToString(sealedToken);
    }
}
