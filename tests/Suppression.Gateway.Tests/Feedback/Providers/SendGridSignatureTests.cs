using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Feedback.Providers;

namespace Suppression.Gateway.Tests.Feedback.Providers;

public sealed class SendGridSignatureTests
{
    private const string Timestamp = "1600112502";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("[{\"email\":\"a@example.com\",\"event\":\"bounce\"}]\r\n");

    private static string Sign(ECDsa key, string timestamp, byte[] body, DSASignatureFormat format = DSASignatureFormat.Rfc3279DerSequence) =>
        Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, format));

    private static string PublicKey(ECDsa key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    [Fact]
    public void The_keys_signature_over_timestamp_and_body_verifies()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Null(SendGridSignature.Problem(PublicKey(key), Timestamp, Sign(key, Timestamp, Body), Body));
    }

    [Fact]
    public void A_changed_body_timestamp_or_key_does_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = Sign(key, Timestamp, Body);

        Assert.NotNull(SendGridSignature.Problem(PublicKey(key), Timestamp, signature, [.. Body, (byte)' ']));
        Assert.NotNull(SendGridSignature.Problem(PublicKey(key), "1600112503", signature, Body));
        Assert.NotNull(SendGridSignature.Problem(PublicKey(other), Timestamp, signature, Body));
    }

    [Fact]
    public void A_signature_not_in_DER_form_does_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull(SendGridSignature.Problem(PublicKey(key), Timestamp, Sign(key, Timestamp, Body, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), Body));
    }

    [Theory]
    [InlineData(null, "1600112502", "MEUCIQ==")]
    [InlineData("not base64!", "1600112502", "MEUCIQ==")]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "1600112502", "MEUCIQ==")]
    public void A_missing_or_broken_key_does_not(string? publicKey, string timestamp, string signature) =>
        Assert.NotNull(SendGridSignature.Problem(publicKey, timestamp, signature, Body));

    [Fact]
    public void Missing_headers_do_not()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Contains("headers", SendGridSignature.Problem(PublicKey(key), null, Sign(key, Timestamp, Body), Body), StringComparison.Ordinal);
        Assert.Contains("headers", SendGridSignature.Problem(PublicKey(key), Timestamp, "", Body), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Contains("public key", SendGridSignature.Problem(PublicKey(key), Timestamp, Sign(key, Timestamp, Body), Body), StringComparison.Ordinal);
    }
}
