using Suppression.Addresses;

namespace Suppression.Suppressions;

/// <summary>
/// The mailbox an imported row suppresses: by its address, or by its <see cref="MailboxKey"/> alone
/// (a row of our own export that has no address: from a hashed store, or an erased address's,
/// which keeps its keyed hash in <see cref="ErasedHash"/>).
/// </summary>
public readonly record struct ImportTarget
{
    private ImportTarget(NormalizedAddress? address, MailboxKey? key, string? erasedHash)
    {
        Address = address;
        Key = key;
        ErasedHash = erasedHash;
    }

    public NormalizedAddress? Address { get; }

    public MailboxKey? Key { get; }

    /// <summary>The erased address's keyed hash, for a row by key that names one.</summary>
    public string? ErasedHash { get; }

    public static ImportTarget ByKey(MailboxKey key, string? erasedHash) => new(null, key, string.IsNullOrEmpty(erasedHash) ? null : erasedHash);

    public static implicit operator ImportTarget(NormalizedAddress address) => new(address, null, null);
}
