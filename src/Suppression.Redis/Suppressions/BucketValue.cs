using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

// The whole value of one mailbox's field in its bucket hash, in either stored format.
//
// Text (suppression-v1), one line each:
//   @jane@example.com                          the address, for exports (first line; absent on entries
//                                              written before exports existed)
//   #9f2c...                                   instead of the address once it is erased: its keyed hash
//   global\tunsubscribe\tone-click\t1763931600   the entries (SuppressionEntryCodec)
//
// Compact (suppression-v2): the same content as bytes (CompactValueCodec).
// Hashed (suppression-v3): compact with short global entries and no address; an erased mailbox
// keeps a bare tag saying so, without the hash.
//
// A value is written in the format the store's marker names (StorageFormatMarker), whichever it was
// read in; only one spelling of the mailbox is kept: the first one that was suppressed.
internal sealed class BucketValue
{
    private readonly List<StoredEntry> _entries;

    // Entries this version could not read, text lines or compact entries: kept and written back
    // rather than dropped, because they may be a later version's entries that must stay in force.
    private readonly List<string> _unreadableLines;
    private readonly List<byte[]> _unknownCompactEntries;

    private BucketValue(List<StoredEntry> entries, List<string> unreadableLines, List<byte[]> unknownCompactEntries, string? address, string? erasedHash)
    {
        _entries = entries;
        _unreadableLines = unreadableLines;
        _unknownCompactEntries = unknownCompactEntries;
        Address = address;
        ErasedHash = erasedHash;
    }

    public string? Address { get; private set; }

    /// <summary>The address's keyed hash, when the address was erased; empty in a hashed store, which keeps only that it was.</summary>
    public string? ErasedHash { get; private set; }

    public bool IsErased => ErasedHash is not null;

    public IReadOnlyList<SuppressionEntry> Entries => _entries.ConvertAll(stored => stored.Entry);

    public IReadOnlyList<StoredEntry> StoredEntries => _entries;

    /// <summary>The import batches the entries came from.</summary>
    public IReadOnlySet<string> Batches => _entries
        .Where(stored => stored.Batch is not null)
        .Select(stored => stored.Batch!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The entries of a stored value, for a recipient check.</summary>
    /// <exception cref="UnreadableEntryException">The value holds an entry this version cannot read: fail closed rather than decide on the rest.</exception>
    public static IReadOnlyList<SuppressionEntry> ReadEntries(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return [];
        }

        ReadOnlyMemory<byte> bytes = value;
        if (CompactValueCodec.IsCompact(bytes.Span))
        {
            return CompactValueCodec.TryDecodeEntries(bytes.Span, out var entries) ? entries : throw new UnreadableEntryException();
        }

        var parsed = ParseText(value!);
        return parsed._unreadableLines.Count == 0 ? parsed.Entries : throw new UnreadableEntryException();
    }

    /// <summary>The format a stored value is in, text or compact (a hashed value is compact bytes too); null when there is none.</summary>
    public static StorageFormat? FormatOf(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        ReadOnlyMemory<byte> bytes = value;
        return CompactValueCodec.IsCompact(bytes.Span) ? StorageFormat.Compact : StorageFormat.Text;
    }

    /// <exception cref="UnreadableEntryException">A damaged compact value: rewriting it could lose what cannot be read.</exception>
    public static BucketValue Parse(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return new BucketValue([], [], [], null, null);
        }

        ReadOnlyMemory<byte> bytes = value;
        if (!CompactValueCodec.IsCompact(bytes.Span))
        {
            return ParseText(value!);
        }

        var entries = new List<StoredEntry>(1);
        var unknown = new List<byte[]>();
        return CompactValueCodec.TryDecode(bytes.Span, entries, unknown, out var address, out var erased)
            ? new BucketValue(entries, [], unknown, address, erased)
            : throw new UnreadableEntryException();
    }

    private static BucketValue ParseText(string text)
    {
        var entries = new List<StoredEntry>(1);
        var unreadable = new List<string>();
        string? address = null;
        string? erased = null;
        foreach (var line in text.Split(SuppressionEntryCodec.EntrySeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A control character (a tab included) in an address line is damage: the line stays as it is.
            var plain = CompactValueCodec.IsPlainText(line.AsSpan(1));
            if (line[0] == '@' && plain)
            {
                address = line[1..];
            }
            else if (line[0] == '#' && plain)
            {
                erased = line[1..];
            }
            else if (SuppressionEntryCodec.TryDecodeLine(line, out var entry, out var batch))
            {
                entries.Add(new StoredEntry(entry, batch));
            }
            else
            {
                unreadable.Add(line);
            }
        }

        return new BucketValue(entries, unreadable, [], address, erased);
    }

    /// <summary>Keeps the address for exports, unless one is kept already or the mailbox was erased.</summary>
    public void RememberAddress(NormalizedAddress address)
    {
        if (Address is null && ErasedHash is null)
        {
            Address = address.Value;
        }
    }

    /// <summary>Keeps an erased address's keyed hash (an imported row of one), unless the value names its mailbox already.</summary>
    public void RememberErasedHash(string addressHash)
    {
        if (Address is null && ErasedHash is null && CompactValueCodec.IsPlainText(addressHash))
        {
            ErasedHash = addressHash;
        }
    }

    /// <returns>False when an entry of that scope is there already (nothing changes).</returns>
    public bool TryAdd(SuppressionEntry entry, string? batch = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (HasScope(entry.Scope))
        {
            return false;
        }

        _entries.Add(new StoredEntry(entry, batch));
        return true;
    }

    /// <summary>Whether the mailbox has an entry of that scope (one per scope).</summary>
    public bool HasScope(SuppressionScope scope) =>
        _entries.Exists(stored => stored.Entry.Scope == scope)
        || _unreadableLines.Exists(line => line.StartsWith(SuppressionEntryCodec.ScopePrefix(scope), StringComparison.Ordinal));

    /// <returns>The number of entries removed: of one scope, or all when <paramref name="scope"/> is null.</returns>
    public int Remove(SuppressionScope? scope)
    {
        if (scope is not { } only)
        {
            var all = Count;
            _entries.Clear();
            _unreadableLines.Clear();
            _unknownCompactEntries.Clear();
            return all;
        }

        return _entries.RemoveAll(stored => stored.Entry.Scope == only)
            + _unreadableLines.RemoveAll(line => line.StartsWith(SuppressionEntryCodec.ScopePrefix(only), StringComparison.Ordinal));
    }

    /// <summary>Replaces the clear address with its keyed hash.</summary>
    public void Erase(string addressHash)
    {
        Address = null;
        ErasedHash = addressHash;
    }

    /// <summary>The number of entries left, counting those this version could not read.</summary>
    public int Count => _entries.Count + _unreadableLines.Count + _unknownCompactEntries.Count;

    /// <summary>
    /// The stored form in <paramref name="format"/>; empty when no entry is left, which deletes the
    /// field. No entry is dropped to save bytes or to follow the marker: text is written instead of
    /// compact when the value holds text lines this version could not read, or a batch name too long
    /// for the compact form; compact instead of text when it holds compact entries it could not read.
    /// The hashed format drops the address, and of an erased one keeps only that it was erased (a
    /// bare tag, without the hash), so that records written later still leave the address out.
    /// A value holding text lines this version could not read keeps both as they are, its first
    /// line first, because a text value must not start with a byte that starts compact ones (0x80
    /// and up).
    /// </summary>
    public RedisValue Format(StorageFormat format)
    {
        if (Count == 0)
        {
            return RedisValue.EmptyString;
        }

        var compactable = _unreadableLines.Count == 0;
        var keepsAddress = format != StorageFormat.Hashed || !compactable;
        var address = keepsAddress ? Address : null;
        var erasedHash = keepsAddress || ErasedHash is null ? ErasedHash : string.Empty;
        if ((format != StorageFormat.Text || _unknownCompactEntries.Count > 0)
            && compactable
            && CompactValueCodec.TryEncode(_entries, _unknownCompactEntries, address, erasedHash, shortEntries: format == StorageFormat.Hashed, out var compact))
        {
            return compact;
        }

        if (_unknownCompactEntries.Count > 0)
        {
            // Both kinds of unreadable entry in one value cannot happen (a value is read in one
            // format); a batch name too long for compact next to an unknown compact entry can
            // only come from a value built by hand.
            throw new UnreadableEntryException();
        }

        var lines = new List<string>(_entries.Count + _unreadableLines.Count + 1);
        if (erasedHash is not null)
        {
            lines.Add("#" + erasedHash);
        }
        else if (address is not null)
        {
            lines.Add("@" + address);
        }

        lines.AddRange(_entries.Select(stored => SuppressionEntryCodec.Encode(stored.Entry, stored.Batch)));
        lines.AddRange(_unreadableLines);
        return string.Join(SuppressionEntryCodec.EntrySeparator, lines);
    }
}
