namespace Suppression.Gateway.Webhooks;

/// <summary>
/// A Standard Webhooks secret, <c>whsec_</c> + base64 of the key: the key signs, the prefix only
/// tells a secret from other strings. The specification asks for 24 to 64 bytes.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinimumBytes = 24;
    public const int MaximumBytes = 64;

    /// <summary>The keys of a space-separated list (several during a rotation); false when any is not a secret.</summary>
    public static bool TryParseKeys(string? secrets, out IReadOnlyList<byte[]> keys)
    {
        var parsed = new List<byte[]>();
        keys = parsed;
        foreach (var secret in (secrets ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            var key = new byte[MaximumBytes];
            if (!Convert.TryFromBase64String(secret[Prefix.Length..], key, out var length) || length < MinimumBytes)
            {
                return false;
            }

            parsed.Add(key[..length]);
        }

        return parsed.Count > 0;
    }
}
