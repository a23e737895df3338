namespace Suppression.Addresses;

/// <summary>
/// An address in the one canonical form used for every log line, audit record and relay (DESIGN.md,
/// consent model); the suppression store keys it by <see cref="MatchKey"/>, which all its variants
/// share. Only <see cref="AddressNormalizer"/> creates one.
/// </summary>
public readonly record struct NormalizedAddress
{
    internal NormalizedAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
    }

    public string LocalPart { get; }

    public string Domain { get; }

    public string Value => LocalPart + "@" + Domain;

    /// <summary>
    /// The local part without its quoting (<c>"a@b"</c> is <c>a@b</c>): what an MTA that dequotes
    /// addresses before routing them (Postfix's <c>resolve_dequoted_address</c>, on by default) reads.
    /// </summary>
    public string UnquotedLocalPart => AddressNormalizer.UnquoteNormalized(LocalPart ?? string.Empty);

    /// <summary>
    /// The spelling shared by every variant of this mailbox (<c>J.Doe+promo@googlemail.com</c> and
    /// <c>jdoe@gmail.com</c> give <c>jdoe@gmail.com</c>): what suppressions are stored and looked up
    /// under. Never relayed or shown; <see cref="Value"/> is. See <see cref="AddressVariantRules"/>.
    /// </summary>
    public string MatchKey => AddressVariantRules.Default.MatchKeyOf(this);

    public override string ToString() => Value;
}
