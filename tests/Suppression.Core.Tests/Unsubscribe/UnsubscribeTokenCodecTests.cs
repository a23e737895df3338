using System.Buffers.Text;
using System.Text;
using Suppression.Addresses;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

public class UnsubscribeTokenCodecTests
{
    private static readonly UnsubscribeToken Typical =
        new(AddressNormalizer.Normalize("jane.doe@example.com"), "acme", "newsletter", TestKeys.IssuedAt);

    public static TheoryData<string, string?, string?> RoundTrips => new()
    {
        { "jane.doe@example.com", "acme", "newsletter" },
        { "jane.doe@example.com", null, null },
        { "jane.doe@example.com", "acme", null },
        { "jane.doe@example.com", null, "newsletter" },
        { "用户@例子.广告", "société", "nouvelles-été" },
        { "r\u00e9my@b\u00fccher.example", "acme", "newsletter" },
        { "\"john doe\"@example.com", "acme", "newsletter" },
        { "user@[192.0.2.1]", "acme", "newsletter" },
        {
            new string('l', 64) + "@" + string.Join('.', new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61)),
            new string('t', 255),
            new string('n', 255)
        },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Encoded_token_decodes_to_the_same_recipient_tenant_topic_and_issued_at(string address, string? tenant, string? topic)
    {
        var codec = TestKeys.Codec(TestKeys.Key(1));
        var token = new UnsubscribeToken(AddressNormalizer.Normalize(address), tenant, topic, TestKeys.IssuedAt);

        var encoded = codec.Encode(token);

        Assert.True(codec.TryDecode(encoded, TestKeys.IssuedAt.AddDays(1), out var decoded, out var reason));
        Assert.Equal(TokenRejection.None, reason);
        Assert.Equal(token, decoded);
        Assert.Equal(AddressNormalizer.Normalize(address).Value, decoded.Recipient.Value);
        Assert.InRange(encoded.Length, 1, UnsubscribeTokenCodec.MaxEncodedLength);
    }

    [Fact]
    public void Issued_at_keeps_whole_seconds_and_empty_names_mean_none()
    {
        var token = new UnsubscribeToken(
            AddressNormalizer.Normalize("jane@example.com"), "", "", new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2025, 1, 2, 1, 4, 5, TimeSpan.Zero), token.IssuedAt);
        Assert.Null(token.Tenant);
        Assert.Null(token.Topic);
    }

    [Fact]
    public void Typical_token_is_url_safe_and_under_120_characters()
    {
        var encoded = TestKeys.Codec(TestKeys.Key(1)).Encode(Typical);

        // 2 header + 12 nonce + 42 payload (4 + 1+4 + 1+10 + 2+20) padded to 48 + 16 tag = 78 bytes = 104 characters.
        Assert.Equal(104, encoded.Length);
        Assert.True(encoded.Length < 120);
        Assert.All(encoded, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe."));
    }

    [Fact]
    public void Two_encodings_of_one_token_differ_and_neither_shows_the_address()
    {
        var codec = TestKeys.Codec(TestKeys.Key(1));
        var first = codec.Encode(Typical);
        var second = codec.Encode(Typical);

        Assert.NotEqual(first, second);
        foreach (var encoded in new[] { first, second })
        {
            var bytes = Base64Url.DecodeFromChars(encoded);
            foreach (var part in new[] { "jane.doe@example.com", "jane.doe", "jane", "example.com", "example", "acme", "newsletter" })
            {
                Assert.DoesNotContain(part, encoded, StringComparison.OrdinalIgnoreCase);
                Assert.False(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(part)) >= 0, $"'{part}' appears in the token bytes.");
            }

            Assert.False(bytes.AsSpan().IndexOf("doe"u8) >= 0, "'doe' appears in the token bytes.");
            Assert.True(codec.TryDecode(encoded, TestKeys.IssuedAt, out var decoded, out _));
            Assert.Equal(Typical, decoded);
        }
    }

    [Fact]
    public void After_rotation_old_tokens_still_decode_and_new_tokens_use_the_newest_key()
    {
        var before = TestKeys.Codec(TestKeys.Key(1));
        var oldToken = before.Encode(Typical);
        var after = TestKeys.Codec(TestKeys.Key(1), TestKeys.Key(2));

        var newToken = after.Encode(Typical);

        Assert.True(after.TryDecode(oldToken, TestKeys.IssuedAt, out var decoded, out _));
        Assert.Equal(Typical, decoded);
        Assert.Equal(1, Base64Url.DecodeFromChars(oldToken)[1]);
        Assert.Equal(2, Base64Url.DecodeFromChars(newToken)[1]);
        Assert.True(after.TryDecode(newToken, TestKeys.IssuedAt, out _, out _));
        Assert.False(before.TryDecode(newToken, TestKeys.IssuedAt, out _, out var reason));
        Assert.Equal(TokenRejection.UnknownKey, reason);
    }

    [Fact]
    public void Codecs_alternating_on_one_thread_each_encrypt_under_their_own_key_even_with_the_same_key_id()
    {
        // Encode keeps an AesGcm per thread for the key it last used: the key, not its id, must decide.
        var first = TestKeys.Codec(TestKeys.Key(1));
        var second = TestKeys.Codec(TestKeys.Key(1, fill: 5));

        for (var i = 0; i < 3; i++)
        {
            var fromFirst = first.Encode(Typical);
            var fromSecond = second.Encode(Typical);

            Assert.True(first.TryDecode(fromFirst, TestKeys.IssuedAt, out _, out _));
            Assert.True(second.TryDecode(fromSecond, TestKeys.IssuedAt, out _, out _));
            Assert.False(second.TryDecode(fromFirst, TestKeys.IssuedAt, out _, out var reason));
            Assert.Equal(TokenRejection.Tampered, reason);
        }
    }

    [Fact]
    public async Task Tokens_encoded_concurrently_on_many_threads_all_decode()
    {
        var codec = TestKeys.Codec(TestKeys.Key(1));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 200).Select(_ => codec.Encode(Typical)).ToList())));

        Assert.All(tokens.SelectMany(batch => batch), token =>
        {
            Assert.True(codec.TryDecode(token, TestKeys.IssuedAt, out var decoded, out _));
            Assert.Equal(Typical, decoded);
        });
    }

    [Fact]
    public void Token_whose_key_was_retired_is_rejected_as_unknown_key()
    {
        var token = TestKeys.Codec(TestKeys.Key(1)).Encode(Typical);

        Assert.False(TestKeys.Codec(TestKeys.Key(2)).TryDecode(token, TestKeys.IssuedAt, out var decoded, out var reason));
        Assert.Null(decoded);
        Assert.Equal(TokenRejection.UnknownKey, reason);
    }

    [Fact]
    public void Token_under_a_different_key_with_the_same_id_is_rejected_as_tampered()
    {
        var token = TestKeys.Codec(TestKeys.Key(1)).Encode(Typical);

        Assert.False(TestKeys.Codec(TestKeys.Key(1, fill: 5)).TryDecode(token, TestKeys.IssuedAt, out _, out var reason));
        Assert.Equal(TokenRejection.Tampered, reason);
    }

    [Fact]
    public void Token_with_its_key_id_swapped_for_another_configured_key_is_rejected_as_tampered()
    {
        var codec = TestKeys.Codec(TestKeys.Key(1), TestKeys.Key(2));
        var bytes = Base64Url.DecodeFromChars(codec.Encode(Typical));
        bytes[1] = 1;

        Assert.False(codec.TryDecode(Base64Url.EncodeToString(bytes), TestKeys.IssuedAt, out _, out var reason));
        Assert.Equal(TokenRejection.Tampered, reason);
    }

    [Fact]
    public void Token_is_valid_for_exactly_the_default_60_days()
    {
        var codec = TestKeys.Codec(TestKeys.Key(1));
        var encoded = codec.Encode(Typical);

        Assert.Equal(TimeSpan.FromDays(60), codec.Lifetime);
        Assert.True(codec.TryDecode(encoded, TestKeys.IssuedAt.AddDays(60), out _, out _));
        Assert.False(codec.TryDecode(encoded, TestKeys.IssuedAt.AddDays(60).AddSeconds(1), out var decoded, out var reason));
        Assert.Null(decoded);
        Assert.Equal(TokenRejection.Expired, reason);
    }

    [Fact]
    public void Configured_lifetime_sets_the_expiry_boundary()
    {
        var codec = new UnsubscribeTokenCodec(new TokenKeyRing([TestKeys.Key(1)]), TimeSpan.FromDays(90));
        var encoded = codec.Encode(Typical);

        Assert.True(codec.TryDecode(encoded, TestKeys.IssuedAt.AddDays(90), out _, out _));
        Assert.False(codec.TryDecode(encoded, TestKeys.IssuedAt.AddDays(90).AddSeconds(1), out _, out var reason));
        Assert.Equal(TokenRejection.Expired, reason);
    }

    [Fact]
    public void Lifetime_under_30_days_is_refused()
    {
        var ring = new TokenKeyRing([TestKeys.Key(1)]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new UnsubscribeTokenCodec(ring, TimeSpan.FromDays(29)));
        Assert.Contains("30 days", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(30), new UnsubscribeTokenCodec(ring, TimeSpan.FromDays(30)).Lifetime);
    }

    [Fact]
    public void Encode_refuses_what_the_format_cannot_carry()
    {
        var codec = TestKeys.Codec(TestKeys.Key(1));
        var address = AddressNormalizer.Normalize("jane@example.com");

        Assert.Throws<ArgumentException>(() => codec.Encode(new UnsubscribeToken(default, "acme", null, TestKeys.IssuedAt)));
        Assert.Throws<ArgumentException>(() => codec.Encode(new UnsubscribeToken(address, new string('t', 256), null, TestKeys.IssuedAt)));
        Assert.Throws<ArgumentException>(() => codec.Encode(new UnsubscribeToken(address, null, "\ud800", TestKeys.IssuedAt)));
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Encode(new UnsubscribeToken(address, null, null, new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero))));
        Assert.Throws<ArgumentOutOfRangeException>(() => codec.Encode(new UnsubscribeToken(address, null, null, new DateTimeOffset(2107, 1, 1, 0, 0, 0, TimeSpan.Zero))));
    }
}
