using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Access;

/// <summary>
/// The configured keys and what each may do: <c>admin</c> (everything), <c>compliance</c> (read,
/// search, export, verify) or <c>tenant</c> (one tenant's scopes, <see cref="TenantView"/>). Shared
/// by the API's bearer check and the console's sign-in.
/// </summary>
public sealed class ApiKeys(IReadOnlyList<ApiKeyDigest> adminKeys, IReadOnlyList<ApiKeyDigest> complianceKeys, IReadOnlyList<TenantApiKey> tenantKeys)
{
    public const string AdminRole = "admin";
    public const string ComplianceRole = "compliance";
    public const string TenantRole = "tenant";

    /// <summary>The role of a presented key, or null when it is not one of ours.</summary>
    public string? RoleOf(string? presented) => HolderOf(presented)?.Role;

    /// <summary>Who holds a presented key, or null when it is not one of ours. Every key is compared, so timing says nothing.</summary>
    public ApiKeyHolder? HolderOf(string? presented) => presented is null ? null : HolderOfDigest(ApiKeyDigest.Hash(presented));

    /// <summary>
    /// Who holds the key whose SHA-256 is <paramref name="sha256Hex"/>, or null when no configured key
    /// has it (any more): how a console session notices that its key was removed or moved.
    /// </summary>
    public ApiKeyHolder? HolderOfDigest(string sha256Hex) =>
        sha256Hex is { Length: 64 } && sha256Hex.All(char.IsAsciiHexDigit) ? HolderOfDigest(Convert.FromHexString(sha256Hex)) : null;

    /// <summary>The role of the key whose SHA-256 is <paramref name="sha256Hex"/>, or null (<see cref="HolderOfDigest(string)"/>).</summary>
    public string? RoleOfDigest(string sha256Hex) => HolderOfDigest(sha256Hex)?.Role;

    /// <summary>
    /// Who the audit names: the role and the first 8 hex digits of the key's SHA-256 (for a key
    /// configured as sha256:&lt;hex&gt;, the start of that hex), never the key.
    /// </summary>
    public static string Actor(string role, string key) =>
        $"api-key:{role}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8]}";

    private ApiKeyHolder? HolderOfDigest(byte[] digest)
    {
        // Start-up refuses a key configured twice, so at most one of these matches.
        string? tenant = null;
        foreach (var key in tenantKeys)
        {
            if (key.Digest.MatchesDigest(digest))
            {
                tenant = key.Tenant;
            }
        }

        return ApiKeyDigest.MatchesDigest(adminKeys, digest) ? new ApiKeyHolder(AdminRole)
            : ApiKeyDigest.MatchesDigest(complianceKeys, digest) ? new ApiKeyHolder(ComplianceRole)
            : tenant is not null ? new ApiKeyHolder(TenantRole, tenant)
            : null;
    }
}
