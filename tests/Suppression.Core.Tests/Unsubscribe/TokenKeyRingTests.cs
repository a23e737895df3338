using Suppression.Unsubscribe;

namespace Suppression.Core.Tests.Unsubscribe;

public class TokenKeyRingTests
{
    private static readonly string KeyA = Convert.ToBase64String(TestKeys.Key(0).Material);
    private static readonly string KeyB = Convert.ToBase64String(TestKeys.Key(0, fill: 1).Material);

    [Fact]
    public void Keys_are_read_in_order_with_their_ids_and_the_last_one_issues_tokens()
    {
        var ring = TokenKeyRing.Parse([$"1:{KeyA}", $" 7 : {KeyB} "]);

        Assert.Equal(new byte[] { 1, 7 }, ring.Keys.Select(key => key.Id));
        Assert.Equal(7, ring.Current.Id);
        Assert.True(ring.TryGetKey(1, out var first));
        Assert.Equal(Convert.FromBase64String(KeyA), first.Material.ToArray());
        Assert.False(ring.TryGetKey(2, out _));
    }

    [Fact]
    public void A_lone_key_without_an_id_has_id_0()
    {
        var ring = TokenKeyRing.Parse([KeyA]);

        Assert.Equal(0, ring.Current.Id);
    }

    public static TheoryData<string?[], string> Invalid => new()
    {
        { [], "Suppression:Tokens:Keys has no keys" },
        { [""], "Suppression:Tokens:Keys:0 is empty" },
        { [null], "Suppression:Tokens:Keys:0 is empty" },
        { ["1:"], "Suppression:Tokens:Keys:0 decodes to 0 bytes" },
        { [$"1:{KeyA}", "2:not base64!"], "Suppression:Tokens:Keys:1 is not valid base64" },
        { ["1:" + Convert.ToBase64String(new byte[16])], "Suppression:Tokens:Keys:0 decodes to 16 bytes; an AES-256 key is 32 bytes" },
        { [$"256:{KeyA}"], "Suppression:Tokens:Keys:0 has a key id before ':' that is not a whole number from 0 to 255" },
        { [$"-1:{KeyA}"], "not a whole number from 0 to 255" },
        { [$"a:{KeyA}"], "not a whole number from 0 to 255" },
        { [$":{KeyA}"], "not a whole number from 0 to 255" },
        { [$"1:{KeyA}", KeyB], "Suppression:Tokens:Keys:1 has no key id; when several keys are configured" },
        { [$"1:{KeyA}", $"1:{KeyB}"], "Suppression:Tokens:Keys:1 repeats key id 1, already used by Suppression:Tokens:Keys:0" },
        { [$"1:{KeyA}", $"2:{KeyA}"], "Suppression:Tokens:Keys:1 repeats the key of Suppression:Tokens:Keys:0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_configuration_is_refused_with_an_error_naming_the_entry(string?[] entries, string expected)
    {
        Assert.False(TokenKeyRing.TryParse(entries, out var ring, out var error));
        Assert.Null(ring);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyA, error, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyB, error, StringComparison.Ordinal);

        var thrown = Assert.Throws<FormatException>(() => TokenKeyRing.Parse(entries));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void Generated_keys_are_random_32_bytes_and_round_trip_through_configuration()
    {
        var first = TokenKey.Generate();
        var second = TokenKey.Generate(id: 3);

        Assert.Equal(0, first.Id);
        Assert.Equal(3, second.Id);
        Assert.Equal(32, first.Material.Length);
        Assert.False(first.Material.SequenceEqual(second.Material));

        var ring = TokenKeyRing.Parse([first.ToConfigurationString(), second.ToConfigurationString()]);
        Assert.True(ring.Keys[1].Material.SequenceEqual(second.Material));
        Assert.DoesNotContain(Convert.ToBase64String(first.Material), first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_ring_built_in_code_refuses_no_keys_and_repeated_ids()
    {
        Assert.Throws<ArgumentException>(() => new TokenKeyRing([]));
        Assert.Throws<ArgumentException>(() => new TokenKeyRing([TestKeys.Key(1), TestKeys.Key(1, fill: 2)]));
        Assert.Throws<ArgumentException>(() => new TokenKey(1, new byte[31]));
    }
}
