using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

// suppression-v2: one mailbox's field value as bytes, its entries first, then at most one tail.
//
//   entry          = header [tenant] [topic] reason-source seconds [batch]
//   header         = one byte below 0x10: bits 0-1 the scope's kind (0 global, 1 tenant, 2 topic),
//                    bits 2-3 the import batch's form: 0 none; 1 a length byte and UTF-8; 2 a
//                    numbered batch, "b-<n>" (ISuppressionList.NewBatchAsync), as n in LEB128 (one
//                    byte up to 127, two up to 16,383); 3 a random one, "b-" and 16 hex digits, as
//                    its 8 bytes (what imports were named before batches were numbered)
//   tenant, topic  = a length byte and the name (ASCII, at most 64: SuppressionScope)
//   reason-source  = the reason's code times 16 plus the source's code (the tables below)
//   seconds        = when, as unsigned 32-bit big-endian Unix seconds (1970 to 2106; an entry dated
//                    outside, a typo in an imported file, keeps its value text)
//   tail           = 0x10 and the address in UTF-8 to the end of the value, or
//                    0x11 and the erased address's keyed hash to the end
//
// The hashed format (suppression-v3, written once the marker says 3) adds a short form for the
// commonest entry, a global one without a batch or with a numbered batch, and writes no address:
// its only tail is a bare 0x11 on an erased mailbox, which keeps that it was erased.
//
//   short entry    = 1 n r r r s s s   seconds [batch]
//                    bit 7 set; bit 6 set when a numbered batch follows (LEB128, as above); bits
//                    3-5 the reason's code, bits 0-2 the source's (the same tables)
//
// That is 5 bytes for an opt-out and 6 for an imported entry of a batch up to b-127: with the
// 10-byte field, about 24 B per address in Redis (docs/benchmarks.md). Bytes 0x80 and above start
// no text value either (its first byte is ASCII), and no earlier gateway meets one: they are
// written only under marker 3, which those gateways refuse.
//
// A global opt-out is 6 bytes where its text line is about 35, and the address needs no line
// break or marker of its own: this halves a stored mailbox (docs/benchmarks.md, memory). The first
// byte tells the formats apart: a text value starts with '@', '#' or a scope's first letter.
//
// The codes are the contract, not the enums' order: append to the tables, never reorder them, and
// move the format marker (StorageFormatMarker) when adding one, so that no gateway that cannot read
// a code runs while it is written. Should one meet a code it does not know all the same, a lookup
// fails closed (BucketValue.ReadEntries) and a rewrite keeps the entry's bytes (its length does not
// depend on the codes).
public static class CompactValueCodec
{
    public const byte AddressTag = 0x10;
    public const byte ErasedTag = 0x11;

    /// <summary>Bit 7 of an entry's first byte: a short (global) entry.</summary>
    public const byte ShortEntryFlag = 0x80;

    /// <summary>What every batch name starts with; a numbered one continues with its number.</summary>
    public const string NumberedBatchPrefix = "b-";

    private const int KindMask = 0b0011;
    private const int BatchFormShift = 2;
    private const int NoBatch = 0;
    private const int TextBatch = 1;
    private const int NumberedBatch = 2;
    private const int HexBatch = 3;
    private const int HexBatchBytes = 8;
    private const int MaxVarintBytes = 9;
    private const int ShortBatchFlag = 0x40;
    private const int ShortCodeBits = 3;
    private const int ShortCodeMask = (1 << ShortCodeBits) - 1;

    private static readonly SearchValues<char> LowercaseHexDigits = SearchValues.Create("0123456789abcdef");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly SuppressionReason[] Reasons =
    [
        SuppressionReason.Unsubscribe, SuppressionReason.Complaint, SuppressionReason.HardBounce,
        SuppressionReason.Manual, SuppressionReason.Import, SuppressionReason.Erasure,
    ];

    private static readonly SuppressionSource[] Sources =
    [
        SuppressionSource.OneClick, SuppressionSource.Mailto, SuppressionSource.Page, SuppressionSource.Api,
        SuppressionSource.Import, SuppressionSource.Dsn, SuppressionSource.Arf, SuppressionSource.Relay,
        SuppressionSource.ProviderEvent, SuppressionSource.Preferences,
    ];

    /// <summary>Whether a stored value is in this format (rather than text); false for an empty one.</summary>
    public static bool IsCompact(ReadOnlySpan<byte> value) => !value.IsEmpty && StartsEntry(value[0]);

    // An entry starts with a header byte below the tags, or a short entry's byte at or above 0x80.
    private static bool StartsEntry(byte first) => first < AddressTag || first >= ShortEntryFlag;

    /// <param name="unknown">Entries a later version wrote, as read (<see cref="TryDecode"/>): written back unchanged.</param>
    /// <param name="shortEntries">Whether global entries may take the short form (the hashed format only: earlier gateways cannot read it).</param>
    /// <returns>False when something cannot be written in this format (a batch name over 255 bytes, a date outside 1970 to 2106).</returns>
    public static bool TryEncode(IReadOnlyList<StoredEntry> entries, IReadOnlyList<byte[]> unknown, string? address, string? erasedHash, bool shortEntries, out byte[] value)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(unknown);
        value = [];
        var buffer = new List<byte>(entries.Count * 16 + (address?.Length ?? erasedHash?.Length ?? 0) + 1);
        foreach (var (entry, batch) in entries)
        {
            if (!TryAppend(buffer, entry, batch, shortEntries))
            {
                return false;
            }
        }

        foreach (var bytes in unknown)
        {
            buffer.AddRange(bytes);
        }

        if (erasedHash is not null)
        {
            buffer.Add(ErasedTag);
            buffer.AddRange(Encoding.UTF8.GetBytes(erasedHash));
        }
        else if (address is not null)
        {
            buffer.Add(AddressTag);
            buffer.AddRange(Encoding.UTF8.GetBytes(address));
        }

        value = [.. buffer];
        return true;
    }

    /// <summary>The entries alone: what a recipient check needs, without the address.</summary>
    /// <returns>
    /// False when an entry could not be read (a later version's codes, or a damaged value): the
    /// entries read are then not the whole story, and a check must not decide on them.
    /// </returns>
    public static bool TryDecodeEntries(ReadOnlySpan<byte> value, out IReadOnlyList<SuppressionEntry> entries)
    {
        var read = new List<SuppressionEntry>(1);
        entries = read;
        var position = 0;
        while (position < value.Length && StartsEntry(value[position]))
        {
            if (!TryRead(value, ref position, out var entry, out _) || entry is null)
            {
                return false;
            }

            read.Add(entry);
        }

        return true;
    }

    /// <param name="unknown">Receives the bytes of each entry this version cannot read but can measure (a later version's codes).</param>
    /// <returns>False when the value is damaged (cut short, or an entry whose length cannot be told): nothing after that point was read.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> value, List<StoredEntry> entries, List<byte[]> unknown, out string? address, out string? erasedHash)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(unknown);
        address = null;
        erasedHash = null;
        var position = 0;
        while (position < value.Length && StartsEntry(value[position]))
        {
            var start = position;
            if (!TryRead(value, ref position, out var entry, out var batch))
            {
                return false;
            }

            if (entry is null)
            {
                unknown.Add(value[start..position].ToArray());
            }
            else
            {
                entries.Add(new StoredEntry(entry, batch));
            }
        }

        if (position < value.Length)
        {
            if (!TryReadTail(value[(position + 1)..], out var tail))
            {
                return false;
            }

            switch (value[position])
            {
                case AddressTag:
                    address = tail;
                    break;
                case ErasedTag:
                    erasedHash = tail;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    // An address or hash is UTF-8 text without control characters (RFC 5321 allows none in an
    // address); anything else is damage, and passing it on could break the text form's lines.
    private static bool TryReadTail(ReadOnlySpan<byte> bytes, out string tail)
    {
        tail = string.Empty;
        try
        {
            tail = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return IsPlainText(tail);
    }

    /// <summary>Whether an address or hash has no control characters: the only kind either format stores.</summary>
    public static bool IsPlainText(ReadOnlySpan<char> text) => !text.ContainsAnyInRange('\u0000', '\u001f') && !text.Contains('\u007f');

    private static bool TryAppend(List<byte> buffer, SuppressionEntry entry, string? batch, bool shortEntries)
    {
        if (BatchForm(batch) is not { } batchForm)
        {
            return false;
        }

        // The short form has three bits for each code: a later reason or source (relay is source 8)
        // takes the long form, whose codes have four bits each.
        if (shortEntries && entry.Scope.Kind == ScopeKind.Global && batchForm.Form is NoBatch or NumberedBatch
            && ReasonCode(entry) <= ShortCodeMask && SourceCode(entry) <= ShortCodeMask)
        {
            var first = ShortEntryFlag | (ReasonCode(entry) << ShortCodeBits) | SourceCode(entry);
            buffer.Add((byte)(batchForm.Form == NumberedBatch ? first | ShortBatchFlag : first));
        }
        else
        {
            var kind = entry.Scope.Kind switch
            {
                ScopeKind.Global => 0,
                ScopeKind.Tenant => 1,
                _ => 2,
            };
            buffer.Add((byte)(kind | (batchForm.Form << BatchFormShift)));
            if (entry.Scope.Kind != ScopeKind.Global)
            {
                AppendName(buffer, entry.Scope.Tenant!);
            }

            if (entry.Scope.Kind == ScopeKind.Topic)
            {
                AppendName(buffer, entry.Scope.Topic!);
            }

            buffer.Add((byte)((ReasonCode(entry) << 4) | SourceCode(entry)));
        }

        var unixSeconds = entry.CreatedAt.ToUnixTimeSeconds();
        if (unixSeconds is < 0 or > uint.MaxValue)
        {
            return false;
        }

        Span<byte> seconds = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(seconds, (uint)unixSeconds);
        buffer.AddRange(seconds);
        buffer.AddRange(batchForm.Bytes);
        return true;
    }

    private static int ReasonCode(SuppressionEntry entry) => Array.IndexOf(Reasons, entry.Reason) + 1;

    private static int SourceCode(SuppressionEntry entry) => Array.IndexOf(Sources, entry.Source) + 1;

    private static void AppendName(List<byte> buffer, string name)
    {
        buffer.Add((byte)name.Length);
        foreach (var c in name)
        {
            buffer.Add((byte)c);
        }
    }

    // Reads the entry at position and moves past it. False when the value is cut short or the
    // header is not one this version can measure: nothing after it can be found. A null entry with
    // true is one whose codes or names this version does not know, skipped.
    private static bool TryRead(ReadOnlySpan<byte> value, ref int position, out SuppressionEntry? entry, out string? batch)
    {
        entry = null;
        batch = null;
        var header = value[position];
        var cursor = position + 1;
        int kind, batchForm, reasonCode, sourceCode;
        string? tenant = null;
        string? topic = null;
        if (header >= ShortEntryFlag)
        {
            (kind, batchForm) = (0, (header & ShortBatchFlag) != 0 ? NumberedBatch : NoBatch);
            (reasonCode, sourceCode) = ((header >> ShortCodeBits) & ShortCodeMask, header & ShortCodeMask);
        }
        else
        {
            (kind, batchForm) = (header & KindMask, (header >> BatchFormShift) & 0b11);
            if (kind > 2
                || (kind >= 1 && !TryReadName(value, ref cursor, out tenant))
                || (kind == 2 && !TryReadName(value, ref cursor, out topic))
                || cursor >= value.Length)
            {
                return false;
            }

            (reasonCode, sourceCode) = (value[cursor] >> 4, value[cursor] & 0x0F);
            cursor++;
        }

        if (cursor + 4 > value.Length)
        {
            return false;
        }

        var seconds = BinaryPrimitives.ReadUInt32BigEndian(value.Slice(cursor, 4));
        cursor += 4;
        if (!TryReadBatch(value, batchForm, ref cursor, out batch))
        {
            return false;
        }

        position = cursor;
        entry = TryScope(kind, tenant, topic, out var scope) ? Entry(scope, reasonCode, sourceCode, seconds) : null;
        batch = entry is null ? null : batch;
        return true;
    }

    // Null for a code this version does not know (a later version's): the entry is skipped, and kept.
    private static SuppressionEntry? Entry(SuppressionScope scope, int reasonCode, int sourceCode, uint seconds) =>
        reasonCode is < 1 || reasonCode > Reasons.Length || sourceCode is < 1 || sourceCode > Sources.Length
            ? null
            : new SuppressionEntry(scope, Reasons[reasonCode - 1], Sources[sourceCode - 1], DateTimeOffset.FromUnixTimeSeconds(seconds));

    private static bool TryReadName(ReadOnlySpan<byte> value, ref int cursor, out string? name)
    {
        name = null;
        if (cursor >= value.Length || cursor + 1 + value[cursor] > value.Length)
        {
            return false;
        }

        name = Encoding.ASCII.GetString(value.Slice(cursor + 1, value[cursor]));
        cursor += 1 + value[cursor];
        return true;
    }

    private static bool TryScope(int kind, string? tenant, string? topic, out SuppressionScope scope)
    {
        scope = SuppressionScope.Global;
        return kind == 0 || (kind == 1 ? SuppressionScope.TryForTenant(tenant, out scope) : SuppressionScope.TryForTopic(tenant, topic, out scope));
    }

    // The form and stored bytes of a batch name; null when it cannot be stored (text over 255 bytes).
    private static (int Form, byte[] Bytes)? BatchForm(string? batch)
    {
        if (string.IsNullOrEmpty(batch))
        {
            return (NoBatch, []);
        }

        if (!batch.StartsWith(NumberedBatchPrefix, StringComparison.Ordinal))
        {
            return TextForm(batch);
        }

        var rest = batch.AsSpan(NumberedBatchPrefix.Length);
        if (rest.Length == HexBatchBytes * 2 && !rest.ContainsAnyExcept(LowercaseHexDigits))
        {
            return (HexBatch, Convert.FromHexString(rest));
        }

        // Canonical decimal only ("b-7", not "b-07"), so the name read back is the name written.
        if (rest.Length is > 0 and <= 18 && rest[0] != '0' && !rest.ContainsAnyExceptInRange('0', '9'))
        {
            var number = ulong.Parse(rest, NumberStyles.None, CultureInfo.InvariantCulture);
            var bytes = new List<byte>(3);
            do
            {
                bytes.Add((byte)((number & 0x7F) | (number > 0x7F ? 0x80UL : 0)));
                number >>= 7;
            }
            while (number > 0);

            return (NumberedBatch, [.. bytes]);
        }

        return TextForm(batch);
    }

    private static (int Form, byte[] Bytes)? TextForm(string batch)
    {
        var text = Encoding.UTF8.GetBytes(batch);
        return text.Length <= byte.MaxValue && IsPlainText(batch) ? (TextBatch, [(byte)text.Length, .. text]) : null;
    }

    private static bool TryReadBatch(ReadOnlySpan<byte> value, int form, ref int cursor, out string? batch)
    {
        batch = null;
        switch (form)
        {
            case NoBatch:
                return true;
            case HexBatch:
                if (cursor + HexBatchBytes > value.Length)
                {
                    return false;
                }

                batch = NumberedBatchPrefix + Convert.ToHexStringLower(value.Slice(cursor, HexBatchBytes));
                cursor += HexBatchBytes;
                return true;
            case NumberedBatch:
                ulong number = 0;
                for (var i = 0; ; i++)
                {
                    if (i == MaxVarintBytes || cursor >= value.Length)
                    {
                        return false;
                    }

                    var next = value[cursor++];
                    number |= (ulong)(next & 0x7F) << (7 * i);
                    if ((next & 0x80) == 0)
                    {
                        break;
                    }
                }

                batch = number > 0 ? NumberedBatchPrefix + number.ToString(CultureInfo.InvariantCulture) : null;
                return number > 0;
            default:
                if (cursor >= value.Length || cursor + 1 + value[cursor] > value.Length
                    || !TryReadTail(value.Slice(cursor + 1, value[cursor]), out var text))
                {
                    return false;
                }

                // An empty name is no batch, as in the text form, whose empty field reads as none.
                batch = text.Length == 0 ? null : text;
                cursor += 1 + value[cursor];
                return true;
        }
    }
}
