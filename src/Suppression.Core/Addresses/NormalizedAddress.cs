namespace Suppression.Addresses;

/// <summary>
/// An address in the one canonical form used for every lookup, log line and audit record
/// (DESIGN.md, consent model). Only <see cref="AddressNormalizer"/> creates one.
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

    public override string ToString() => Value;
}
