namespace Suppression.Gateway.Configuration;

/// <summary><c>Suppression:Addresses</c>: which spellings of an address reach one mailbox.</summary>
public sealed class AddressOptions
{
    /// <summary>
    /// The characters that start a sub-address tag (RFC 5233) at domains without a provider rule
    /// (<see cref="Suppression.Addresses.AddressVariantRules"/>): <c>+</c>, or <c>+-</c> where
    /// recipients' mail servers also cut at '-' (qmail, Postfix's <c>recipient_delimiter = +-</c>).
    /// It is part of every address's key: changing it on a store with data moves keys (README).
    /// </summary>
    public string TagDelimiters { get; set; } = "+";
}
