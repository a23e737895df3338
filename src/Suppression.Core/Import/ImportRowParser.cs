using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>Turns one record of a detected format into an <see cref="ImportRow"/>: the address, reason, scope and time, or the first thing wrong.</summary>
internal sealed class ImportRowParser(ImportLayout layout, ImportOptions options)
{
    public ImportRow Parse(CsvRecordReader record)
    {
        var line = record.Line;
        if (record.Problem is { } problem)
        {
            return ImportRow.Rejected(line, problem);
        }

        if (record.FieldCount < layout.FieldsNeeded)
        {
            return ImportRow.Rejected(line, string.Create(
                CultureInfo.InvariantCulture, $"the row has {record.FieldCount} fields where the header needs at least {layout.FieldsNeeded}"));
        }

        if (!TryReadAddress(record, out var address, out var error)
            || !TryReadReason(record, out var reason, out error)
            || !TryReadScope(record, out var scope, out error)
            || !TryReadTime(record, out var occurredAt, out error))
        {
            return ImportRow.Rejected(line, error);
        }

        return ImportRow.Accepted(line, address, reason, scope, occurredAt);
    }

    private bool TryReadReason(CsvRecordReader record, out SuppressionReason reason, out string error)
    {
        if (layout.Format.TakesReasonFromCaller())
        {
            reason = options.ReasonForUnexplainedRows;
            error = string.Empty;
            return true;
        }

        return layout.HubSpot is { } flags
            ? MarketingPlatformReasons.TryMapHubSpot(record, flags, out reason, out error)
            : ImportReasonMapping.TryMap(layout.Format, FieldOrEmpty(record, layout.Reason), FieldOrEmpty(record, layout.Origin), out reason, out error);
    }

    private static ReadOnlySpan<byte> FieldOrEmpty(CsvRecordReader record, int column) =>
        column == ImportLayout.Absent ? default : record.Field(column);

    private bool TryReadAddress(CsvRecordReader record, out ImportTarget target, out string error)
    {
        target = default;
        var field = FieldText.Trim(record.Field(layout.Address));
        if (layout.Format == ImportFormat.Gateway)
        {
            field = AddressCell.Read(field);
        }

        if (field.IsEmpty && layout.MailboxKey != ImportLayout.Absent)
        {
            return TryReadMailboxKey(record, out target, out error);
        }

        // An export before mailbox keys kept the rows of erased addresses with only their hash.
        if (field.IsEmpty && !FieldText.Trim(FieldOrEmpty(record, layout.AddressHash)).IsEmpty)
        {
            error = "erased address without a mailbox_key: cannot be imported";
            return false;
        }

        if (!Utf8.IsValid(field))
        {
            error = "the address is not valid UTF-8";
            return false;
        }

        var valid = AddressNormalizer.TryNormalize(Encoding.UTF8.GetString(field), out var address, out error);
        target = address;
        return valid;
    }

    // A row of our export without an address (a hashed store's, or an erased address's): the
    // mailbox key says where its entries go, and an erased address keeps its keyed hash.
    private bool TryReadMailboxKey(CsvRecordReader record, out ImportTarget target, out string error)
    {
        target = default;
        error = string.Empty;
        var key = FieldText.Trim(record.Field(layout.MailboxKey));
        if (key.IsEmpty)
        {
            error = "no address and no mailbox_key";
            return false;
        }

        if (!Utf8.IsValid(key) || !MailboxKey.TryParse(Encoding.UTF8.GetString(key), out var mailbox))
        {
            error = "unreadable mailbox_key " + FieldText.Quote(key) + ": expected 5 and 20 lowercase hex digits, as 002df.a0a26ef2e5955397e0ea";
            return false;
        }

        var hash = FieldText.Trim(FieldOrEmpty(record, layout.AddressHash));
        if (!Utf8.IsValid(hash) || hash.ContainsAnyInRange((byte)0, (byte)0x20))
        {
            error = "unreadable address_hash " + FieldText.Quote(hash);
            return false;
        }

        target = ImportTarget.ByKey(mailbox, Encoding.UTF8.GetString(hash));
        return true;
    }

    private bool TryReadScope(CsvRecordReader record, out SuppressionScope scope, out string error)
    {
        error = string.Empty;
        scope = options.Scope;
        if (layout.Scope == ImportLayout.Absent)
        {
            return true;
        }

        var field = FieldText.Trim(record.Field(layout.Scope));
        if (SuppressionScope.TryParse(Encoding.UTF8.GetString(field), out scope))
        {
            return true;
        }

        error = "unknown scope " + FieldText.Quote(field) + ": expected global, tenant:<id> or topic:<tenant>/<topic>";
        return false;
    }

    private bool TryReadTime(CsvRecordReader record, out DateTimeOffset? occurredAt, out string error)
    {
        error = string.Empty;
        occurredAt = null;
        var field = FieldText.Trim(FieldOrEmpty(record, layout.Time));
        if (field.IsEmpty)
        {
            return true;
        }

        if (ImportTimestamp.TryParse(field, layout.TimeMayBeUnixSeconds, out var time))
        {
            occurredAt = time;
            return true;
        }

        error = "unreadable time " + FieldText.Quote(field)
            + (layout.TimeMayBeUnixSeconds ? ": expected Unix seconds, an ISO 8601 or an RFC 5322 date" : ": expected an ISO 8601 or RFC 5322 date");
        return false;
    }
}
