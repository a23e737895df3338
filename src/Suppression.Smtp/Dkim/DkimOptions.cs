using System.Text.RegularExpressions;

namespace Suppression.Smtp.Dkim;

/// <summary><c>Suppression:Dkim</c>: the domains the gateway signs for; none configured means no signing.</summary>
public sealed partial class DkimOptions
{
    public const string SectionName = "Suppression:Dkim";

    public DkimSignerOptions[] Signers { get; set; } = [];

    /// <summary>One line per bad key, naming the key, so a bad configuration stops start-up with a readable reason.</summary>
    /// <param name="tenantIds">The configured tenants, which a signer's <c>Tenants</c> must name; null skips that check.</param>
    public static List<string> Validate(DkimOptions options, IReadOnlyCollection<string>? tenantIds = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var signers = options.Signers ?? [];
        var firstIndexByDomain = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < signers.Length; i++)
        {
            var key = $"{SectionName}:Signers:{i}";
            var signer = signers[i];
            if (signer is null)
            {
                errors.Add($"{key}: must have Domain, Selector and PrivateKeyFile");
                continue;
            }

            if (!DkimDomain.TryNormalize(signer.Domain, out var domain))
            {
                errors.Add($"{key}:Domain: '{signer.Domain}' is not a domain name");
            }
            else if (!firstIndexByDomain.TryAdd(domain, i))
            {
                errors.Add($"{key}:Domain: '{signer.Domain}' already has a signer ({SectionName}:Signers:{firstIndexByDomain[domain]})");
            }

            if (!SelectorSyntax().IsMatch(signer.Selector ?? string.Empty))
            {
                errors.Add($"{key}:Selector: '{signer.Selector}' is not a selector (letters, digits and hyphens in dot-separated labels, RFC 6376 3.1)");
            }

            if (!DkimPrivateKey.TryLoad(signer.PrivateKeyFile, out _, out var problem))
            {
                errors.Add($"{key}:PrivateKeyFile: {problem}");
            }

            var tenants = signer.Tenants ?? [];
            for (var j = 0; j < tenants.Length; j++)
            {
                if (tenantIds is not null && !tenantIds.Contains(tenants[j]))
                {
                    errors.Add($"{key}:Tenants:{j}: '{tenants[j]}' is not a configured tenant (Suppression:Tenants:N:Id)");
                }
            }
        }

        return errors;
    }

    // RFC 6376 3.1: selector = sub-domain *( "." sub-domain ), sub-domain from RFC 5321 (Let-dig [Ldh-str]).
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SelectorSyntax();
}
