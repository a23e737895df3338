using System.Globalization;

namespace Suppression.Import;

/// <summary>
/// Recognises an export by its first line. Column names are matched case-insensitively and in any
/// order, and other columns are ignored; of the formats whose required columns are all there, the
/// one requiring the most wins, and a tie is an error rather than a guess. Two files have no header
/// to match: SES's bulk file and a plain list of addresses, known by what their first line holds.
/// </summary>
internal static class ImportFormatDetector
{
    // Forbidden columns belong to a sibling export of the same provider: a bounce list that lost
    // its "reason" column must not be read as unsubscribes, which block less.
    private static readonly Signature[] Signatures =
    [
        new(ImportFormat.Gateway, ["address", "scope", "reason"], "address", "created_at", "reason") { Scope = "scope", AddressHash = "address_hash", MailboxKey = "mailbox_key" },
        new(ImportFormat.SesSuppressedDestinations, ["EmailAddress", "Reason", "LastUpdateTime"], "EmailAddress", "LastUpdateTime", "Reason"),
        new(ImportFormat.SendGridBounces, ["email", "created", "status", "reason"], "email", "created", "status"),
        new(ImportFormat.SendGridSpamReports, ["email", "created", "ip"], "email", "created"),
        new(ImportFormat.SendGridInvalidEmails, ["email", "created", "reason"], "email", "created") { Forbidden = ["status"] },
        new(ImportFormat.SendGridUnsubscribes, ["email", "created"], "email", "created") { Forbidden = ["status", "reason", "ip"] },
        new(ImportFormat.MailgunBounces, ["address", "code", "error", "created_at"], "address", "created_at"),
        new(ImportFormat.MailgunUnsubscribes, ["address", "tags", "created_at"], "address", "created_at"),
        new(ImportFormat.MailgunComplaints, ["address", "created_at"], "address", "created_at") { Forbidden = ["code", "error", "tags"] },
        new(ImportFormat.Postmark, ["EmailAddress", "SuppressionReason", "Origin", "CreatedAt"], "EmailAddress", "CreatedAt", "SuppressionReason") { Origin = "Origin" },

        // Mailchimp's audience export is three files; the subscribed one has neither time column and is refused.
        new(ImportFormat.MailchimpUnsubscribed, ["Email Address", "UNSUB_TIME"], "Email Address", "UNSUB_TIME") { Forbidden = ["CLEAN_TIME"] },
        new(ImportFormat.MailchimpCleaned, ["Email Address", "CLEAN_TIME"], "Email Address", "CLEAN_TIME") { Forbidden = ["UNSUB_TIME"] },
        new(ImportFormat.HubSpot, ["Email", HubSpotColumns.PortalBounceName, HubSpotColumns.PortalUnsubscribeName, HubSpotColumns.PortalSpamReportName], "Email", null),
        new(ImportFormat.BrevoBlocked, ["email", "reason", "blockedAt"], "email", "blockedAt", "reason"),
        new(ImportFormat.BrevoContacts, ["EMAIL", "ADDED_TIME", "MODIFIED_TIME"], "EMAIL", null),
        new(ImportFormat.Klaviyo, ["Email", "Suppression Reason"], "Email", "Suppression Date", "Suppression Reason"),
    ];

    // A one-column list of addresses: the header a CRM or spreadsheet gives it, or none at all.
    private static readonly string[] AddressListHeaders = ["email", "e-mail", "address", "Email Address"];

    private static readonly ImportLayout AddressListLayout = new(ImportFormat.AddressList, Address: 0, Reason: ImportLayout.Absent, Time: ImportLayout.Absent,
        Scope: ImportLayout.Absent, Origin: ImportLayout.Absent, AddressHash: ImportLayout.Absent);

    private static readonly HashSet<string> KnownColumns = new(
        Signatures.SelectMany(signature => signature.Required.Append(signature.Time).Append(signature.AddressHash).Append(signature.MailboxKey)).OfType<string>(),
        StringComparer.OrdinalIgnoreCase);

    private static readonly string RecognisedFormats = string.Join(
        "; ",
        Signatures.Select(signature => $"{signature.Format.Name()} ({string.Join(", ", signature.Required)})")
            .Append($"{ImportFormat.SesBulkImport.Name()} (no header row; lines of address,BOUNCE or address,COMPLAINT)")
            .Append($"{ImportFormat.AddressList.Name()} (one column headed {string.Join(", ", AddressListHeaders)}, or no header row and an address on the first line)"));

    private static readonly ImportLayout SesBulkLayout = new(ImportFormat.SesBulkImport, Address: 0, Reason: 1, Time: ImportLayout.Absent,
        Scope: ImportLayout.Absent, Origin: ImportLayout.Absent, AddressHash: ImportLayout.Absent) { FirstLineIsData = true };

    /// <param name="firstLine">The fields of the file's first line, trimmed.</param>
    /// <exception cref="ImportFormatException">The line matches no format, or more than one equally well.</exception>
    public static ImportLayout Detect(IReadOnlyList<string> firstLine)
    {
        if (IsSesBulkRow(firstLine))
        {
            return SesBulkLayout;
        }

        if (AddressListLayoutFor(firstLine) is { } addressList)
        {
            return addressList;
        }

        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < firstLine.Count; i++)
        {
            columns.TryAdd(firstLine[i], i);
        }

        var matches = Signatures
            .Where(signature => signature.Required.All(columns.ContainsKey) && !signature.Forbidden.Any(columns.ContainsKey))
            .OrderByDescending(signature => signature.Required.Length)
            .ToList();
        if (matches.Count == 0)
        {
            throw new ImportFormatException(
                $"The header row ({Describe(firstLine)}) matches no supported export. Supported formats and their required columns: {RecognisedFormats}. "
                + "Column names are matched case-insensitively, in any order; other columns are ignored.");
        }

        if (matches.Count > 1 && matches[1].Required.Length == matches[0].Required.Length)
        {
            throw new ImportFormatException(
                $"The header row ({Describe(firstLine)}) matches both {matches[0].Format.Name()} and {matches[1].Format.Name()}; "
                + "remove the columns of the export it is not.");
        }

        return matches[0].LayoutFor(columns);
    }

    // SES bulk import files have no header: address,BOUNCE or address,COMPLAINT from the first line.
    private static bool IsSesBulkRow(IReadOnlyList<string> firstLine) =>
        firstLine.Count >= 2
        && (string.Equals(firstLine[1], "BOUNCE", StringComparison.OrdinalIgnoreCase) || string.Equals(firstLine[1], "COMPLAINT", StringComparison.OrdinalIgnoreCase))
        && !KnownColumns.Contains(firstLine[0]);

    // Spreadsheets pad a one-column sheet with empty columns ("email,,"); they are not columns.
    // Without a header, the first line is an address, and no header name holds an '@'.
    private static ImportLayout? AddressListLayoutFor(IReadOnlyList<string> firstLine)
    {
        var columns = firstLine.Count;
        while (columns > 1 && firstLine[columns - 1].Length == 0)
        {
            columns--;
        }

        if (columns != 1)
        {
            return null;
        }

        if (AddressListHeaders.Contains(firstLine[0], StringComparer.OrdinalIgnoreCase))
        {
            return AddressListLayout;
        }

        return firstLine[0].Contains('@', StringComparison.Ordinal) ? AddressListLayout with { FirstLineIsData = true } : null;
    }

    private static string Describe(IReadOnlyList<string> firstLine)
    {
        const int MaxColumnsShown = 12;
        const int MaxNameLength = 40;
        var names = firstLine.Take(MaxColumnsShown).Select(name => name.Length > MaxNameLength ? name[..MaxNameLength] + "..." : name);
        var more = firstLine.Count > MaxColumnsShown
            ? string.Create(CultureInfo.InvariantCulture, $", and {firstLine.Count - MaxColumnsShown} more")
            : string.Empty;
        return "columns: " + string.Join(", ", names) + more;
    }

    private sealed record Signature(ImportFormat Format, string[] Required, string Address, string? Time, string? Reason = null)
    {
        public string[] Forbidden { get; init; } = [];

        public string? Scope { get; init; }

        public string? Origin { get; init; }

        public string? AddressHash { get; init; }

        public string? MailboxKey { get; init; }

        public ImportLayout LayoutFor(Dictionary<string, int> columns)
        {
            int IndexOf(string? column) => column is not null && columns.TryGetValue(column, out var index) ? index : ImportLayout.Absent;
            return new(Format, columns[Address], IndexOf(Reason), IndexOf(Time), IndexOf(Scope), IndexOf(Origin), IndexOf(AddressHash), IndexOf(MailboxKey))
            {
                HubSpot = Format == ImportFormat.HubSpot
                    ? new HubSpotColumns(
                        IndexOf(HubSpotColumns.PortalBounceName), IndexOf(HubSpotColumns.PortalUnsubscribeName), IndexOf(HubSpotColumns.PortalSpamReportName), IndexOf(HubSpotColumns.GlobalBounceName))
                    : null,
            };
        }
    }
}
