using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Access;

/// <summary>
/// An API key as the gateway keeps it: its SHA-256, so clear keys and <c>sha256:&lt;hex&gt;</c>
/// keys compare the same way, in constant time.
/// </summary>
public sealed class ApiKeyDigest
{
    private const int MinimumKeyLength = 16;
    private readonly byte[] _digest;

    private ApiKeyDigest(byte[] digest) => _digest = digest;

    public static bool TryCreate(string configured, out ApiKeyDigest digest)
    {
        digest = null!;
        if (configured.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            var hex = configured[7..];
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                return false;
            }

            digest = new ApiKeyDigest(Convert.FromHexString(hex));
            return true;
        }

        if (configured.Length < MinimumKeyLength)
        {
            return false;
        }

        digest = new ApiKeyDigest(Hash(configured));
        return true;
    }

    /// <summary>True when the presented key matches any configured one; every key is compared, so timing says nothing.</summary>
    public static bool Matches(IReadOnlyList<ApiKeyDigest> configured, string presented) => MatchesDigest(configured, Hash(presented));

    /// <summary>As <see cref="Matches"/>, for a key known only by its SHA-256.</summary>
    public static bool MatchesDigest(IReadOnlyList<ApiKeyDigest> configured, byte[] presentedDigest)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var match = false;
        foreach (var key in configured)
        {
            match |= CryptographicOperations.FixedTimeEquals(key._digest, presentedDigest);
        }

        return match;
    }

    /// <summary>Whether two configured keys are the same key (a clear key and its <c>sha256:</c> form are).</summary>
    public bool IsSameKeyAs(ApiKeyDigest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _digest.AsSpan().SequenceEqual(other._digest);
    }

    /// <summary>Whether this key's SHA-256 is <paramref name="presentedDigest"/>, in constant time.</summary>
    public bool MatchesDigest(byte[] presentedDigest) => CryptographicOperations.FixedTimeEquals(_digest, presentedDigest);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
