using Suppression.Core.Tests.Unsubscribe;
using Suppression.ReturnPath;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.ReturnPath;

public class ReturnPathTagCodecTests
{
    private static readonly DateTimeOffset SentAt = TestKeys.IssuedAt;

    private static ReturnPathTagCodec Codec(params TokenKey[] keys) =>
        new(new ReturnPathKeyRing(new TokenKeyRing(keys)), TimeSpan.FromDays(30));

    [Fact]
    public void Encoded_tag_is_48_lower_case_base32_characters_whatever_the_ids_length()
    {
        var tag = Codec(TestKeys.Key(1)).Encode("jane.doe@example.com", new string('t', 255), new string('n', 255), MessageClass.Transactional, SentAt);

        Assert.Equal(48, tag.Length);
        Assert.Matches("^[a-z2-7]{48}$", tag);
    }

    [Fact]
    public void Decoded_tag_carries_the_key_day_class_recipient_and_context()
    {
        var codec = Codec(TestKeys.Key(1), TestKeys.Key(7));
        var encoded = codec.Encode("jane.doe@example.com", "acme", "newsletter", MessageClass.Transactional, SentAt);

        Assert.True(codec.TryDecode(encoded, SentAt.AddDays(3), out var tag, out var reason));
        Assert.Equal(TokenRejection.None, reason);
        Assert.Equal(7, tag.KeyId);
        Assert.Equal(new DateOnly(2025, 3, 14), tag.SendingDay);
        Assert.Equal(MessageClass.Transactional, tag.Class);
        Assert.True(codec.Names(tag, "jane.doe@example.com"));
        Assert.False(codec.Names(tag, "john.doe@example.com"));
        Assert.Equal(ReturnPathContext.Digest("acme", "newsletter"), tag.ContextDigest.ToArray());
        Assert.NotEqual(ReturnPathContext.Digest("acme", null), tag.ContextDigest.ToArray());
    }

    [Fact]
    public void Upper_cased_tag_still_verifies()
    {
        var codec = Codec(TestKeys.Key(1));
        var encoded = codec.Encode("jane.doe@example.com", "acme", null, MessageClass.Marketing, SentAt);

        Assert.True(codec.TryDecode(encoded.ToUpperInvariant(), SentAt, out _, out _));
    }

    [Fact]
    public void Every_altered_character_is_refused()
    {
        var codec = Codec(TestKeys.Key(1));
        var encoded = codec.Encode("jane.doe@example.com", "acme", null, MessageClass.Marketing, SentAt);

        for (var i = 0; i < encoded.Length; i++)
        {
            var altered = encoded[..i] + (encoded[i] == 'a' ? 'b' : 'a') + encoded[(i + 1)..];
            Assert.False(codec.TryDecode(altered, SentAt, out _, out var reason));
            Assert.NotEqual(TokenRejection.None, reason);
        }
    }

    [Fact]
    public void Tag_under_another_key_with_the_same_id_is_tampered()
    {
        var encoded = Codec(TestKeys.Key(1, fill: 9)).Encode("jane.doe@example.com", "acme", null, MessageClass.Marketing, SentAt);

        Assert.False(Codec(TestKeys.Key(1)).TryDecode(encoded, SentAt, out _, out var reason));
        Assert.Equal(TokenRejection.Tampered, reason);
    }

    [Fact]
    public void Tag_of_a_retired_key_is_refused_and_rotation_keeps_older_tags()
    {
        var old = Codec(TestKeys.Key(1)).Encode("jane.doe@example.com", null, null, MessageClass.Marketing, SentAt);

        Assert.True(Codec(TestKeys.Key(1), TestKeys.Key(2)).TryDecode(old, SentAt, out _, out _));
        Assert.False(Codec(TestKeys.Key(2)).TryDecode(old, SentAt, out _, out var reason));
        Assert.Equal(TokenRejection.UnknownKey, reason);
    }

    [Fact]
    public void Tag_older_than_the_validity_is_expired()
    {
        var codec = Codec(TestKeys.Key(1));
        var encoded = codec.Encode("jane.doe@example.com", null, null, MessageClass.Marketing, SentAt);

        Assert.True(codec.TryDecode(encoded, SentAt.AddDays(30), out _, out _));
        Assert.False(codec.TryDecode(encoded, SentAt.AddDays(31), out _, out var reason));
        Assert.Equal(TokenRejection.Expired, reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("postmaster")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void Invented_local_part_is_refused(string localPart)
    {
        Assert.False(Codec(TestKeys.Key(1)).TryDecode(localPart, SentAt, out _, out var reason));
        Assert.NotEqual(TokenRejection.None, reason);
    }

    [Fact]
    public void Tag_key_differs_from_the_token_key_it_is_derived_from()
    {
        var key = TestKeys.Key(1);

        Assert.False(new ReturnPathKeyRing(new TokenKeyRing([key])).Current.SequenceEqual(key.Material));
    }
}
