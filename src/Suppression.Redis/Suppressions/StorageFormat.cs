namespace Suppression.Redis.Suppressions;

/// <summary>
/// How a mailbox's field value is written. Every gateway of this version reads both; which one it
/// writes is decided by the store's format marker (<see cref="StorageFormatMarker"/>), so that no
/// value is written that a gateway still running could not read.
/// </summary>
public enum StorageFormat
{
    /// <summary>suppression-v1: text lines an operator can read with HGETALL (<see cref="SuppressionEntryCodec"/>).</summary>
    Text = 1,

    /// <summary>suppression-v2: bytes, about half the memory per address (<see cref="CompactValueCodec"/>).</summary>
    Compact = 2,

    /// <summary>
    /// suppression-v3: compact, with a shorter global entry and without the address, so about a
    /// fifth of the text format's memory; an export then gives each mailbox's key instead of its
    /// address. A store moves here only by an operator's choice, and never back (the addresses are gone).
    /// </summary>
    Hashed = 3,
}
