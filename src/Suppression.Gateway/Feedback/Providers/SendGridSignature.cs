using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// SendGrid's signed Event Webhook: an ECDSA P-256 signature with SHA-256 over the timestamp header's
/// value followed by the raw body, sent base64 (ASN.1 DER) in <c>X-Twilio-Email-Event-Webhook-Signature</c>,
/// checked with the verification key SendGrid shows, a base64 DER public key
/// (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features).
/// </summary>
public static class SendGridSignature
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";

    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <returns>Null when <paramref name="signature"/> is the key's signature of timestamp and body; otherwise why not.</returns>
    public static string? Problem(string? publicKey, string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return $"the request has no {SignatureHeader} and {TimestampHeader} headers";
        }

        using var key = Import(publicKey);
        if (key is null)
        {
            return "no valid public key is configured";
        }

        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return "the signature is not base64";
        }

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[stamp.Length + body.Length];
        stamp.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(stamp.Length));
        return key.VerifyData(signed, signatureBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? null
            : "the signature does not match (is the public key the one SendGrid shows for this webhook?)";
    }

    private static ECDsa? Import(string? publicKey)
    {
        if (string.IsNullOrWhiteSpace(publicKey))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
            if (key.KeySize == 256)
            {
                return key;
            }
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }
}
