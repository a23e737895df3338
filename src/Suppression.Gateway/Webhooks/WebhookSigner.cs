using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// Signs a delivery as the Standard Webhooks specification (Signature scheme, symmetric) has it:
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>, base64, as <c>v1,&lt;signature&gt;</c>;
/// with several keys (a rotation) one signature per key, space-separated, so a receiver holding either
/// the old or the new secret accepts the delivery.
/// </summary>
public sealed class WebhookSigner(IReadOnlyList<byte[]> keys)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public string Sign(string eventId, DateTimeOffset timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(body);
        var content = Encoding.UTF8.GetBytes($"{eventId}.{Timestamp(timestamp)}.{body}");
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content))));
    }

    /// <summary>The header's value: whole seconds since the Unix epoch.</summary>
    public static string Timestamp(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether any of <paramref name="signatures"/> is ours for this delivery; compared in constant time.</summary>
    public bool Verify(string eventId, DateTimeOffset timestamp, string body, string signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        var expected = Sign(eventId, timestamp, body).Split(' ');
        var matched = false;
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var ours in expected)
            {
                matched |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(ours));
            }
        }

        return matched;
    }
}
