namespace Suppression.Addresses;

/// <summary>
/// How one mailbox provider spells the same mailbox in several ways: one row of
/// <see cref="AddressVariantRules"/>. <see cref="Domain"/> is the provider's canonical domain and
/// <see cref="AliasDomains"/> are domains that deliver to the same mailboxes, so the match key of an
/// address at any of them uses <see cref="Domain"/>. In the local part, everything from the first
/// <see cref="SubaddressSeparators"/> character on is a tag (RFC 5233 sub-addressing), and the
/// <see cref="IgnoredCharacters"/> are dropped from what is left.
/// Domains are written as <see cref="AddressNormalizer"/> writes them: lower case, IDNA A-labels.
/// </summary>
public sealed record AddressVariantRule(string Domain, string IgnoredCharacters, string SubaddressSeparators)
{
    public IReadOnlyList<string> AliasDomains { get; init; } = [];
}
