using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

public sealed class MailgunSignatureTests
{
    private const string Key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
    private const string Token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1529006854);
    private static readonly string Timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Sign(string key, string timestamp, string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));

    [Fact]
    public void The_hmac_of_timestamp_and_token_with_the_signing_key_verifies() =>
        Assert.Null(MailgunSignature.Problem(Key, Timestamp, Token, Sign(Key, Timestamp, Token), Now));

    [Fact]
    public void Upper_case_hex_verifies_too() =>
        Assert.Null(MailgunSignature.Problem(Key, Timestamp, Token, Sign(Key, Timestamp, Token).ToUpperInvariant(), Now));

    [Theory]
    [InlineData("another-key-of-the-same-length-00")]
    [InlineData("")]
    public void Another_key_does_not(string key) =>
        Assert.Contains("does not match", MailgunSignature.Problem(Key, Timestamp, Token, Sign(key, Timestamp, Token), Now), StringComparison.Ordinal);

    [Fact]
    public void A_changed_token_or_timestamp_does_not()
    {
        var signature = Sign(Key, Timestamp, Token);

        Assert.NotNull(MailgunSignature.Problem(Key, Timestamp, Token + "0", signature, Now));
        Assert.NotNull(MailgunSignature.Problem(Key, (Now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture), Token, signature, Now));
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("abc")]
    [InlineData("")]
    public void A_signature_that_is_not_64_hex_digits_does_not(string signature) =>
        Assert.NotNull(MailgunSignature.Problem(Key, Timestamp, Token, signature, Now));

    [Fact]
    public void A_timestamp_beyond_the_tolerance_either_way_does_not()
    {
        var signature = Sign(Key, Timestamp, Token);

        Assert.Null(MailgunSignature.Problem(Key, Timestamp, Token, signature, Now + MailgunSignature.Tolerance));
        Assert.Contains("timestamp", MailgunSignature.Problem(Key, Timestamp, Token, signature, Now + MailgunSignature.Tolerance + TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
        Assert.Contains("timestamp", MailgunSignature.Problem(Key, Timestamp, Token, signature, Now - MailgunSignature.Tolerance - TimeSpan.FromSeconds(1)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_that_is_not_a_number_does_not()
    {
        const string Stamp = "1529006854.5";
        Assert.NotNull(MailgunSignature.Problem(Key, Stamp, Token, Sign(Key, Stamp, Token), Now));
    }
}
