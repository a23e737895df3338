namespace Suppression.Addresses;

/// <summary>
/// An address in the one canonical form used for every log line, audit record and relay (docs/design.md,
/// consent model); the suppression store keys it by its match key (<see cref="AddressVariantRules.MatchKeyOf"/>:
/// <c>J.Doe+promo@googlemail.com</c> and <c>jdoe@gmail.com</c> give <c>jdoe@gmail.com</c>), which all
/// its variants share, under the gateway's configured rules. Only <see cref="AddressNormalizer"/> creates one.
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

    public override string ToString() => Value;
}
