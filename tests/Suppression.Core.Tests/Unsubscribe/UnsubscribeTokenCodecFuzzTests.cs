using System.Buffers.Text;
using System.Text;
using Suppression.Addresses;
using Suppression.Testing.Fuzzing;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

// Random tokens, not one typical token: every recipient, tenant and topic the gateway can put in a
// link comes back unchanged, and any change to the link, or a key other than the one that wrote
// it, is refused without an exception.
public sealed class UnsubscribeTokenCodecFuzzTests
{
    private static readonly TokenKey Current = TestKeys.Key(7);

    private static readonly UnsubscribeTokenCodec Codec = TestKeys.Codec(TestKeys.Key(3), Current);

    private static readonly string[] Addresses =
    [
        "jane.doe@example.com", "a@b.example", "user+tag@gmail.com", "\"john doe\"@example.com", "\"a\\\"b\"@example.com",
        "r\u00e9my@b\u00fccher.example", "\u7528\u6237@\u4F8B\u5B50.\u5E7F\u544A", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
        "J\u030C@example.com", "\u0130\u0323@example.com",
        new string('l', 64) + "@" + string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61)),
    ];

    [Fact]
    public Task Random_tokens_round_trip() =>
        Fuzz.RunAsync(defaultSeed: 8058, defaultIterations: 2_000, RandomToken, token =>
        {
            var now = token.IssuedAt + UnsubscribeTokenCodec.DefaultLifetime;

            Assert.True(Codec.TryDecode(Codec.Encode(token), now, out var decoded, out var reason), $"refused: {reason}");
            Assert.Equal(token, decoded);
            Assert.False(Codec.TryDecode(Codec.Encode(token), now.AddSeconds(1), out _, out reason));
            Assert.Equal(TokenRejection.Expired, reason);
        }, Describe);

    [Fact]
    public Task Any_single_bit_flip_of_a_random_token_is_refused() =>
        Fuzz.RunAsync(defaultSeed: 2369, defaultIterations: 2_000, random =>
        {
            var bytes = Base64Url.DecodeFromChars(Codec.Encode(RandomToken(random)));
            var bit = random.Next(bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            return Base64Url.EncodeToString(bytes);
        }, AssertRefused);

    [Fact]
    public Task Edited_and_truncated_tokens_are_refused() =>
        Fuzz.RunAsync(defaultSeed: 4648, defaultIterations: 3_000, random =>
        {
            var valid = Codec.Encode(RandomToken(random));
            var edited = random.Next(3) switch
            {
                0 => valid[..random.Next(valid.Length)],
                1 => random.Mutate(valid, ["-", "_", "A", "=", "+", "/", valid, valid[..4]]),
                _ => Base64Url.EncodeToString(random.Mutate(Base64Url.DecodeFromChars(valid))),
            };
            return (Valid: valid, Edited: edited);
        }, pair =>
        {
            // An edit can undo itself (a cut of nothing, a character replaced by itself).
            if (pair.Edited != pair.Valid)
            {
                AssertRefused(pair.Edited);
            }
        }, pair => Fuzz.Literal(pair.Edited));

    [Fact]
    public Task Token_under_a_key_the_ring_lacks_or_has_with_other_material_is_refused() =>
        Fuzz.RunAsync(defaultSeed: 6522, defaultIterations: 500, random => (Token: RandomToken(random), Fill: (byte)random.Next(1, 256)), input =>
        {
            var encoded = Codec.Encode(input.Token);
            var now = input.Token.IssuedAt.AddDays(1);

            // Same id, other material: the AES-GCM tag fails.
            Assert.False(TestKeys.Codec(TestKeys.Key(Current.Id, input.Fill)).TryDecode(encoded, now, out _, out var reason));
            Assert.Equal(TokenRejection.Tampered, reason);

            // The id is not in the ring: a retired key.
            Assert.False(TestKeys.Codec(TestKeys.Key(3)).TryDecode(encoded, now, out _, out reason));
            Assert.Equal(TokenRejection.UnknownKey, reason);

            // Once rotated, the older key still reads it.
            Assert.True(TestKeys.Codec(Current, TestKeys.Key(9)).TryDecode(encoded, now, out var decoded, out _));
            Assert.Equal(input.Token, decoded);
        }, input => Describe(input.Token));

    [Fact]
    public Task Random_text_and_random_bytes_behind_a_valid_header_are_refused() =>
        Fuzz.RunAsync(defaultSeed: 1738, defaultIterations: 5_000, random =>
        {
            if (random.Chance(0.5))
            {
                return random.Text(400);
            }

            var bytes = random.Bytes(600);
            if (bytes.Length >= 2)
            {
                bytes[0] = 1;
                bytes[1] = random.Chance(0.5) ? Current.Id : (byte)3;
            }

            return Base64Url.EncodeToString(bytes);
        }, AssertRefused);

    private static void AssertRefused(string text)
    {
        Assert.False(Codec.TryDecode(text, TestKeys.IssuedAt.AddDays(1), out var decoded, out var reason), "accepted");
        Assert.Null(decoded);
        Assert.NotEqual(TokenRejection.None, reason);
    }

    private static UnsubscribeToken RandomToken(FuzzRandom random)
    {
        var address = AddressNormalizer.Normalize(random.Pick(Addresses));
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(random.Next(0, int.MaxValue) + (long)random.Next(0, int.MaxValue));
        return new UnsubscribeToken(address, Name(random), Name(random), issuedAt);
    }

    // Any well-formed Unicode that fits the one-byte length: the tenant and topic are the sender's words.
    private static string? Name(FuzzRandom random)
    {
        if (random.Chance(0.2))
        {
            return null;
        }

        var text = random.Text(random.Chance(0.1) ? 255 : 40);
        var valid = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(valid.ToString()) + rune.Utf8SequenceLength > byte.MaxValue)
            {
                break;
            }

            valid.Append(rune.ToString());
        }

        return valid.ToString();
    }

    private static string Describe(UnsubscribeToken token) =>
        $"{Fuzz.Literal(token.Recipient.Value)}, tenant {Fuzz.Literal(token.Tenant)}, topic {Fuzz.Literal(token.Topic)}, issued {token.IssuedAt:O}";
}
