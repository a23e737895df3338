namespace Suppression.Import;

/// <summary>
/// Where a detected format keeps what a row needs: column indexes, <see cref="Absent"/> when the
/// format has no such column.
/// </summary>
internal sealed record ImportLayout(ImportFormat Format, int Address, int Reason, int Time, int Scope, int Origin, int AddressHash, int MailboxKey = ImportLayout.Absent)
{
    public const int Absent = -1;

    /// <summary>True for a headerless format, whose first line is already a row.</summary>
    public bool FirstLineIsData { get; init; }

    /// <summary>HubSpot's flag columns, which together say the reason; null for other formats.</summary>
    public HubSpotColumns? HubSpot { get; init; }

    /// <summary>A row with fewer fields lacks a column this layout reads.</summary>
    public int FieldsNeeded => 1 + Math.Max(
        Math.Max(Math.Max(Math.Max(Address, Reason), Math.Max(Time, Scope)), Math.Max(Math.Max(Origin, AddressHash), MailboxKey)),
        HubSpot?.HighestIndex ?? Absent);

    // SendGrid's API, and the CSV files built from it, give "created" as Unix seconds.
    public bool TimeMayBeUnixSeconds => Format is ImportFormat.SendGridBounces or ImportFormat.SendGridSpamReports
        or ImportFormat.SendGridInvalidEmails or ImportFormat.SendGridUnsubscribes;
}
