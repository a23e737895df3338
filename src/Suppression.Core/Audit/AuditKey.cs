using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Suppression.Addresses;

namespace Suppression.Audit;

/// <summary>
/// The secret behind the audit trail's two keyed hashes (docs/design.md, audit):
/// <list type="bullet">
/// <item>the chain hash: each record's hash covers its position, the previous record's hash and its
/// body, keyed so that someone who can write to Redis but lacks the key cannot re-chain an edit;</item>
/// <item>the address hash: what a record keeps of the address once it is erased, keyed so a
/// dictionary of addresses cannot be hashed to find it, and computed over the mailbox's match key so
/// every variant of one mailbox has one hash.</item>
/// </list>
/// Both are HMAC-SHA256 truncated to 128 bits (32 hex digits), from keys derived from one secret.
/// </summary>
public sealed class AuditKey
{
    public const int SecretLength = 32;
    public const int HashHexLength = 32;

    private readonly byte[] _chainKey;
    private readonly byte[] _addressKey;

    /// <param name="addressRules">Which spellings share a mailbox's address hash; <see cref="AddressVariantRules.Default"/> when null.</param>
    public AuditKey(ReadOnlySpan<byte> secret, AddressVariantRules? addressRules = null)
    {
        if (secret.Length < SecretLength)
        {
            throw new ArgumentException($"The audit key must be at least {SecretLength} bytes.", nameof(secret));
        }

        AddressRules = addressRules ?? AddressVariantRules.Default;
        _chainKey = HMACSHA256.HashData(secret, "suppression-audit-chain-v1"u8);
        _addressKey = HMACSHA256.HashData(secret, "suppression-audit-address-v1"u8);
    }

    public static AuditKey Generate() => new(RandomNumberGenerator.GetBytes(SecretLength));

    public AddressVariantRules AddressRules { get; }

    /// <summary>The keyed hash of a mailbox (all its variants): what is left of the address after erasure.</summary>
    public string AddressHash(NormalizedAddress address) => AddressHash(address, AddressRules);

    /// <summary>The hash under other rules: records written before the tag delimiters were changed still verify.</summary>
    public string AddressHash(NormalizedAddress address, AddressVariantRules rules) =>
        Truncated(HMACSHA256.HashData(_addressKey, Encoding.UTF8.GetBytes(rules.MatchKeyOf(address))));

    /// <summary>The hash of the record at <paramref name="sequence"/> of <paramref name="chain"/>, whose predecessor's hash is <paramref name="previous"/>.</summary>
    public string ChainHash(string chain, long sequence, string previous, ReadOnlySpan<byte> body)
    {
        var position = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{chain}\n{sequence}\n{previous}\n"));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _chainKey);
        hmac.AppendData(position);
        hmac.AppendData(body);
        return Truncated(hmac.GetHashAndReset());
    }

    /// <summary>
    /// The seal on the point where retention cut a chain's oldest records: without the key nobody can
    /// move it, so records removed by hand still show as a broken chain.
    /// </summary>
    public string AnchorSeal(string chain, long sequence, string hash, long cutUnixMilliseconds) =>
        Truncated(HMACSHA256.HashData(_chainKey, Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"anchor\n{chain}\n{sequence}\n{hash}\n{cutUnixMilliseconds}"))));

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool Same(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));

    private static string Truncated(byte[] mac) => Convert.ToHexStringLower(mac, 0, HashHexLength / 2);
}
