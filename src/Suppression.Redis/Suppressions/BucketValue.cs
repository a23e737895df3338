using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

// The whole value of one mailbox's field in its bucket hash:
//
//   @jane@example.com                          the address, for exports (first line; absent on entries
//                                              written before exports existed)
//   #9f2c...                                   instead of the address once it is erased: its keyed hash
//   global\tunsubscribe\tone-click\t1763931600   the entries (SuppressionEntryCodec), one per line
//
// SuppressionEntryCodec.Decode skips the address line (it has no tabs), so lookups read the value
// as before. Only one spelling of the mailbox is kept: the first one that was suppressed.
internal sealed class BucketValue
{
    private const char AddressMarker = '@';
    private const char ErasedMarker = '#';

    private readonly List<string> entryLines;

    private BucketValue(string? address, string? erasedHash, List<string> entryLines)
    {
        Address = address;
        ErasedHash = erasedHash;
        this.entryLines = entryLines;
    }

    public string? Address { get; private set; }

    /// <summary>The address's keyed hash, when the address was erased.</summary>
    public string? ErasedHash { get; private set; }

    public bool IsErased => ErasedHash is not null;

    public IReadOnlyList<SuppressionEntry> Entries => SuppressionEntryCodec.Decode(string.Join(SuppressionEntryCodec.EntrySeparator, entryLines));

    public IReadOnlyList<string> EntryLines => entryLines;

    /// <summary>The import batches the entries came from (an imported entry's fifth field).</summary>
    public IReadOnlySet<string> Batches => entryLines
        .Select(line => line.Split(SuppressionEntryCodec.FieldSeparator))
        .Where(fields => fields.Length > 4 && fields[4].Length > 0)
        .Select(fields => fields[4])
        .ToHashSet(StringComparer.Ordinal);

    public static BucketValue Parse(string? value)
    {
        string? address = null;
        string? erased = null;
        var lines = new List<string>(2);
        if (!string.IsNullOrEmpty(value))
        {
            foreach (var line in value.Split(SuppressionEntryCodec.EntrySeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                switch (line[0])
                {
                    case AddressMarker when line.IndexOf(SuppressionEntryCodec.FieldSeparator) < 0:
                        address = line[1..];
                        break;
                    case ErasedMarker when line.IndexOf(SuppressionEntryCodec.FieldSeparator) < 0:
                        erased = line[1..];
                        break;
                    default:
                        lines.Add(line);
                        break;
                }
            }
        }

        return new BucketValue(address, erased, lines);
    }

    /// <summary>Keeps the address for exports, unless one is kept already or the mailbox was erased.</summary>
    public void RememberAddress(NormalizedAddress address)
    {
        if (Address is null && ErasedHash is null)
        {
            Address = address.Value;
        }
    }

    /// <returns>False when an entry of that scope is there already (nothing changes).</returns>
    public bool TryAdd(SuppressionEntry entry)
    {
        if (HasScope(entry.Scope))
        {
            return false;
        }

        entryLines.Add(SuppressionEntryCodec.Encode(entry));
        return true;
    }

    /// <summary>Whether the mailbox has an entry of that scope (one per scope; import.lua applies the same rule).</summary>
    public bool HasScope(SuppressionScope scope)
    {
        var prefix = SuppressionEntryCodec.ScopePrefix(scope);
        return entryLines.Exists(line => line.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <returns>The number of entries removed: of one scope, or all when <paramref name="scope"/> is null.</returns>
    public int Remove(SuppressionScope? scope)
    {
        var prefix = scope is { } only ? SuppressionEntryCodec.ScopePrefix(only) : string.Empty;
        return entryLines.RemoveAll(line => line.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>Replaces the clear address with its keyed hash.</summary>
    public void Erase(string addressHash)
    {
        Address = null;
        ErasedHash = addressHash;
    }

    /// <summary>The stored form; empty when no entry is left, which deletes the field.</summary>
    public string Format()
    {
        if (entryLines.Count == 0)
        {
            return string.Empty;
        }

        var marker = ErasedHash is not null ? ErasedMarker + ErasedHash : Address is not null ? AddressMarker + Address : null;
        return marker is null
            ? string.Join(SuppressionEntryCodec.EntrySeparator, entryLines)
            : marker + SuppressionEntryCodec.EntrySeparator + string.Join(SuppressionEntryCodec.EntrySeparator, entryLines);
    }
}
