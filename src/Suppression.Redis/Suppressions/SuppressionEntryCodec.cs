using System.Globalization;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

// The value of one address's hash field: its entries separated by '\n', one entry being
// "<scope>\t<reason>\t<source>\t<unix seconds>", e.g. "global\tunsubscribe\tapi\t1732300000", and for
// an imported entry a fifth field, its batch: "global\thard-bounce\timport\t1732300000\tb-7f3a...".
// Text rather than a binary format so an operator can read a bucket with HGETALL; tabs and
// newlines cannot occur in scopes or contract names. The scope comes first so the Lua scripts can
// find an entry of a scope by prefix without parsing the rest.
public static class SuppressionEntryCodec
{
    public const char EntrySeparator = '\n';
    public const char FieldSeparator = '\t';

    private const int KnownFieldCount = 4;

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static string Encode(SuppressionEntry entry, string? batch = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = string.Join(
            FieldSeparator,
            entry.Scope.ToString(),
            entry.Reason.Name(),
            entry.Source.Name(),
            entry.CreatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return batch is null ? line : line + FieldSeparator + batch;
    }

    /// <summary>One entry line with its batch (the fifth field), if it has one.</summary>
    public static bool TryDecodeLine(string line, out SuppressionEntry entry, out string? batch)
    {
        ArgumentNullException.ThrowIfNull(line);
        batch = null;
        if (!TryDecodeEntry(line, out entry))
        {
            return false;
        }

        var fields = line.Split(FieldSeparator);
        batch = fields.Length > KnownFieldCount && fields[KnownFieldCount].Length > 0 ? fields[KnownFieldCount] : null;
        return true;
    }

    // The tab keeps "tenant:a" from matching an entry of "tenant:ab".
    public static string ScopePrefix(SuppressionScope scope) => scope.ToString() + FieldSeparator;

    // Lines this version cannot read are skipped here; a recipient check goes through
    // BucketValue.ReadEntries instead, which fails closed on them. Fields after the fourth (and the
    // batch, the fifth) are ignored, so a later version can append fields and older gateways still
    // honour its entries.
    public static IReadOnlyList<SuppressionEntry> Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return [];
        }

        var entries = new List<SuppressionEntry>(1);
        var text = value.AsSpan();
        foreach (var line in text.Split(EntrySeparator))
        {
            if (TryDecodeEntry(text[line], out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static bool TryDecodeEntry(ReadOnlySpan<char> line, out SuppressionEntry entry)
    {
        entry = null!;
        Span<Range> fields = stackalloc Range[KnownFieldCount + 1];
        if (line.Split(fields, FieldSeparator) < KnownFieldCount)
        {
            return false;
        }

        var scopeText = line[fields[0]];
        if (scopeText.IsEmpty
            || !SuppressionScope.TryParse(scopeText.ToString(), out var scope)
            || !ContractNames.TryParseReason(line[fields[1]].ToString(), out var reason)
            || !ContractNames.TryParseSource(line[fields[2]].ToString(), out var source)
            || !long.TryParse(line[fields[3]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            || seconds < MinUnixSeconds
            || seconds > MaxUnixSeconds)
        {
            return false;
        }

        entry = new SuppressionEntry(scope, reason, source, DateTimeOffset.FromUnixTimeSeconds(seconds));
        return true;
    }
}
