using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Access;

/// <summary>
/// The configured keys and what each may do: <c>admin</c> (everything) or <c>compliance</c> (read,
/// search, export, verify). Shared by the API's bearer check and the console's sign-in.
/// </summary>
public sealed class ApiKeys(IReadOnlyList<ApiKeyDigest> adminKeys, IReadOnlyList<ApiKeyDigest> complianceKeys)
{
    public const string AdminRole = "admin";
    public const string ComplianceRole = "compliance";

    /// <summary>The role of a presented key, or null when it is not one of ours. Constant time per key.</summary>
    public string? RoleOf(string? presented) =>
        presented is null ? null
        : ApiKeyDigest.Matches(adminKeys, presented) ? AdminRole
        : ApiKeyDigest.Matches(complianceKeys, presented) ? ComplianceRole
        : null;

    /// <summary>
    /// The role of the key whose SHA-256 is <paramref name="sha256Hex"/>, or null when no configured key
    /// has it (any more): how a console session notices that its key was removed.
    /// </summary>
    public string? RoleOfDigest(string sha256Hex)
    {
        if (sha256Hex is not { Length: 64 } || !sha256Hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        var digest = Convert.FromHexString(sha256Hex);
        return ApiKeyDigest.MatchesDigest(adminKeys, digest) ? AdminRole
            : ApiKeyDigest.MatchesDigest(complianceKeys, digest) ? ComplianceRole
            : null;
    }

    /// <summary>
    /// Who the audit names: the role and the first 8 hex digits of the key's SHA-256 (for a key
    /// configured as sha256:&lt;hex&gt;, the start of that hex), never the key.
    /// </summary>
    public static string Actor(string role, string key) =>
        $"api-key:{role}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8]}";
}
