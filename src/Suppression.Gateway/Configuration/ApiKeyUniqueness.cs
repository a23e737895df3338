using Suppression.Gateway.Access;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// Every API key has one holder: a key configured twice (as admin and tenant, for two tenants, or
/// twice in one list) would leave it to the order of checks which powers it has. A clear key and
/// its <c>sha256:</c> form are the same key.
/// </summary>
public static class ApiKeyUniqueness
{
    /// <returns>One line per repeated key, naming where it is repeated and where it was first; never the key.</returns>
    public static List<string> Find(GatewayOptions gateway, SmtpGatewayOptions smtp)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(smtp);
        var lists = new List<(string Path, string[] Keys)>
        {
            ("Suppression:Admin:ApiKeys", gateway.Admin.ApiKeys ?? []),
            ("Suppression:Compliance:ApiKeys", gateway.Compliance.ApiKeys ?? []),
        };
        var tenants = smtp.Tenants ?? [];
        for (var i = 0; i < tenants.Length; i++)
        {
            lists.Add(($"Suppression:Tenants:{i}:ApiKeys", tenants[i]?.ApiKeys ?? []));
        }

        var seen = new List<(string Path, ApiKeyDigest Digest)>();
        var problems = new List<string>();
        foreach (var (path, keys) in lists)
        {
            for (var k = 0; k < keys.Length; k++)
            {
                if (keys[k] is null || !ApiKeyDigest.TryCreate(keys[k], out var digest))
                {
                    continue;
                }

                var entry = $"{path}:{k}";
                var first = seen.FirstOrDefault(earlier => earlier.Digest.IsSameKeyAs(digest));
                if (first.Path is not null)
                {
                    problems.Add($"{entry}: the same key as {first.Path}; each key must have one holder (one role, or one tenant)");
                }
                else
                {
                    seen.Add((entry, digest));
                }
            }
        }

        return problems;
    }
}
