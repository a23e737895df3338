using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Suppression.Webhooks;

/// <summary>
/// The <c>webhook-id</c> of the event an audit record emits: <c>evt_</c> and 26 lowercase base32
/// digits (130 bits) of SHA-256 over the record's chain and sequence, so every attempt, replay and
/// instance names the same record's event the same way. Unkeyed: a position is no secret. A
/// <c>feedback.review</c> event is named by its review item and recipient (<see cref="OfReview"/>).
/// </summary>
public static class WebhookEventId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int Digits = 26;

    public static string Of(string chain, long sequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(chain);
        return Digest(string.Create(CultureInfo.InvariantCulture, $"webhook-event-v1:{chain}:{sequence}"));
    }

    /// <summary>The id of a held report's event for one recipient, by the recipient's keyed hash: an erasure that takes another recipient out of the item changes no id.</summary>
    public static string OfReview(string reviewId, string addressHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(reviewId);
        ArgumentException.ThrowIfNullOrEmpty(addressHash);
        return Digest($"webhook-review-v1:{reviewId}:{addressHash}");
    }

    private static string Digest(string name)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return string.Create(4 + Digits, digest, static (span, digest) =>
        {
            "evt_".CopyTo(span);
            for (var digit = 0; digit < Digits; digit++)
            {
                var bit = digit * 5;
                var pair = (digest[bit / 8] << 8) | digest[(bit / 8) + 1];
                span[4 + digit] = Alphabet[(pair >> (11 - (bit % 8))) & 31];
            }
        });
    }
}
