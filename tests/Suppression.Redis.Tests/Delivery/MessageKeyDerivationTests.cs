using System.Text;
using Suppression.Delivery;

namespace Suppression.Redis.Tests.Delivery;

public sealed class MessageKeyDerivationTests
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("Subject: hello\r\n\r\nHello.\r\n");

    [Fact]
    public void Same_message_id_gives_the_same_key_whatever_the_body()
    {
        var first = IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", Body);
        var second = IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", Encoding.ASCII.GetBytes("other bytes"));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Angle_brackets_and_surrounding_space_do_not_change_the_key()
    {
        var bracketed = IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", []);

        Assert.Equal(bracketed, IAcceptedCopies.DeriveMessageKey("1234@sender.example", []));
        Assert.Equal(bracketed, IAcceptedCopies.DeriveMessageKey(" <1234@sender.example>\r\n", []));
    }

    [Fact]
    public void Different_message_ids_give_different_keys()
    {
        Assert.NotEqual(
            IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", Body),
            IAcceptedCopies.DeriveMessageKey("<1235@sender.example>", Body));
    }

    // Pinned: changing the derivation makes every retry in flight send its accepted copies again.
    [Fact]
    public void Key_is_a_stable_sha256_in_lowercase_hex()
    {
        var key = IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", []);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("accepted-copies-v1:message-id:1234@sender.example")));
        Assert.Equal(expected, key);
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Theory]
    [InlineData("<1234@sender.example>")]
    [InlineData("<a-very-long-message-identifier-that-goes-on-and-on-and-on-and-on-for-a-while-longer@mail.sender.example>")]
    public void Key_never_contains_the_message_id(string messageId)
    {
        var key = IAcceptedCopies.DeriveMessageKey(messageId, Body);

        Assert.Equal(64, key.Length);
        Assert.DoesNotContain("1234", key, StringComparison.Ordinal);
        Assert.DoesNotContain("sender", key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(messageId.Trim('<', '>'), key, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("<>")]
    public void Missing_message_id_falls_back_to_the_body_hash(string? messageId)
    {
        var key = IAcceptedCopies.DeriveMessageKey(messageId, Body);

        Assert.Equal(IAcceptedCopies.DeriveMessageKey(null, Body), key);
        Assert.NotEqual(IAcceptedCopies.DeriveMessageKey(null, Encoding.ASCII.GetBytes("Subject: other\r\n\r\nHello.\r\n")), key);
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Fact]
    public void Body_hash_differs_from_the_plain_sha256_of_the_body()
    {
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Body));

        Assert.NotEqual(plain, IAcceptedCopies.DeriveMessageKey(null, Body));
    }

    [Fact]
    public async Task Stream_and_span_give_the_same_key()
    {
        using var stream = new MemoryStream(Body);

        Assert.Equal(IAcceptedCopies.DeriveMessageKey(null, Body), await IAcceptedCopies.DeriveMessageKeyAsync(null, stream, CancellationToken.None));
        Assert.Equal(
            IAcceptedCopies.DeriveMessageKey("<1234@sender.example>", Body),
            await IAcceptedCopies.DeriveMessageKeyAsync("<1234@sender.example>", Stream.Null, CancellationToken.None));
    }
}
