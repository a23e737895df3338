using Suppression.Addresses;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// Signing domains and From domains are compared in the form <see cref="AddressNormalizer"/> gives:
/// lower case, IDNA A-labels (RFC 8616 2: <c>d=</c> carries A-labels, so the key is found in DNS).
/// </summary>
internal static class DkimDomain
{
    public static bool TryNormalize(string? domain, out string normalized)
    {
        normalized = string.Empty;

        // The normalizer takes whole addresses; any valid local part lets it judge the domain alone.
        if (string.IsNullOrWhiteSpace(domain)
            || !AddressNormalizer.TryNormalize("postmaster@" + domain.Trim(), out var address, out _)
            || address.Domain.StartsWith('['))
        {
            return false;
        }

        normalized = address.Domain;
        return true;
    }
}
