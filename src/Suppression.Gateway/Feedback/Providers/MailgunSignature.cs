using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>
/// Mailgun's webhook signature: the hex HMAC-SHA256, keyed with the account's webhook signing key, of
/// the timestamp and the token concatenated ("Securing Webhooks",
/// https://documentation.mailgun.com/docs/mailgun/user-manual/events/webhooks/#securing-webhooks).
/// Mailgun advises refusing an old timestamp and a token seen before; the token is the caller's to
/// remember (<see cref="MailgunWebhook"/>).
/// </summary>
public static class MailgunSignature
{
    /// <summary>How far the timestamp may be from the gateway's clock, either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(15);

    /// <returns>Null when valid and fresh; otherwise why not.</returns>
    public static string? Problem(string signingKey, string? timestamp, string? token, string? signature, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(signature))
        {
            return "the body has no signature (signature.timestamp, .token, .signature)";
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(timestamp + token));
        var presented = new byte[expected.Length];
        if (signature.Length != expected.Length * 2 || Convert.FromHexString(signature, presented, out _, out _) != System.Buffers.OperationStatus.Done
            || !CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return "the signature does not match (is the signing key the one Mailgun shows?)";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return $"the timestamp is more than {Tolerance.TotalMinutes:0} minutes from the gateway's clock";
        }

        return null;
    }
}
