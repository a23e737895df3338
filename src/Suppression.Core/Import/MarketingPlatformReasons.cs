using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>
/// The reasons Brevo, Klaviyo and HubSpot give for a suppressed address, as ours. Their files
/// spell a reason as an API code (<c>hardBounce</c>, <c>HARD_BOUNCE</c>) or as the label their
/// screens show (<c>Hard bounce</c>), so names are compared without case, spaces, '_' or '-'.
/// Anything else is an error for that row, never a guess.
/// </summary>
internal static class MarketingPlatformReasons
{
    // Brevo's GET /v3/smtp/blockedContacts reason codes.
    private static readonly (string Name, SuppressionReason Reason)[] Brevo =
    [
        ("hardbounce", SuppressionReason.HardBounce),
        ("contactflaggedasspam", SuppressionReason.Complaint),
        ("unsubscribedviaemail", SuppressionReason.Unsubscribe),
        ("unsubscribedviaapi", SuppressionReason.Unsubscribe),
        ("unsubscribedviama", SuppressionReason.Unsubscribe),
        ("adminblocked", SuppressionReason.Manual),
    ];

    // Klaviyo's email suppression reasons (API enum) and the labels of its suppressed-profiles page.
    private static readonly (string Name, SuppressionReason Reason)[] Klaviyo =
    [
        ("hardbounce", SuppressionReason.HardBounce),
        ("invalidemail", SuppressionReason.HardBounce),
        ("spamcomplaint", SuppressionReason.Complaint),
        ("markedasspam", SuppressionReason.Complaint),
        ("unsubscribe", SuppressionReason.Unsubscribe),
        ("unsubscribed", SuppressionReason.Unsubscribe),
        ("usersuppressed", SuppressionReason.Manual),
        ("manuallysuppressed", SuppressionReason.Manual),
        ("manuallyadded", SuppressionReason.Manual),
    ];

    public static bool TryMapBrevo(ReadOnlySpan<byte> reason, out SuppressionReason mapped, out string error) =>
        TryMap(Brevo, reason, out mapped, out error, "Brevo", "hardBounce, contactFlaggedAsSpam, unsubscribedViaEmail, unsubscribedViaApi, unsubscribedViaMA or adminBlocked");

    public static bool TryMapKlaviyo(ReadOnlySpan<byte> reason, out SuppressionReason mapped, out string error) =>
        TryMap(Klaviyo, reason, out mapped, out error, "Klaviyo", "HARD_BOUNCE, INVALID_EMAIL, SPAM_COMPLAINT, UNSUBSCRIBE or USER_SUPPRESSED");

    /// <summary>
    /// HubSpot's "Export unsubscribes and bounces" marks each row with flag columns: TRUE, or for
    /// Portal Bounce the bounce's reason; FALSE or empty when not. A row with none of the four set
    /// opted out of some subscription types only and may still get others, so it is not imported.
    /// A bounce wins over a spam report, which wins over an unsubscribe: the entry that blocks most.
    /// </summary>
    public static bool TryMapHubSpot(CsvRecordReader record, HubSpotColumns columns, out SuppressionReason mapped, out string error)
    {
        error = string.Empty;
        if (IsSet(record, columns.PortalBounce) || IsSet(record, columns.GlobalBounce))
        {
            mapped = SuppressionReason.HardBounce;
            return true;
        }

        if (IsSet(record, columns.PortalSpamReport))
        {
            mapped = SuppressionReason.Complaint;
            return true;
        }

        if (IsSet(record, columns.PortalUnsubscribe))
        {
            mapped = SuppressionReason.Unsubscribe;
            return true;
        }

        mapped = default;
        error = "no bounce, spam report or unsubscribe from all email: an opt-out of some subscription types only is not a suppression";
        return false;
    }

    private static bool IsSet(CsvRecordReader record, int column)
    {
        if (column == ImportLayout.Absent)
        {
            return false;
        }

        var field = FieldText.Trim(record.Field(column));
        return !field.IsEmpty && !System.Text.Ascii.EqualsIgnoreCase(field, "FALSE"u8);
    }

    private static bool TryMap(
        (string Name, SuppressionReason Reason)[] names, ReadOnlySpan<byte> reason, out SuppressionReason mapped, out string error, string vendor, string expected)
    {
        error = string.Empty;
        reason = FieldText.Trim(reason);
        foreach (var (name, value) in names)
        {
            if (SameWord(reason, name))
            {
                mapped = value;
                return true;
            }
        }

        mapped = default;
        error = $"unknown {vendor} reason {FieldText.Quote(reason)}: expected {expected}";
        return false;
    }

    // "Hard bounce", "HARD_BOUNCE" and "hardBounce" are one word: letters compared without case, separators skipped.
    private static bool SameWord(ReadOnlySpan<byte> field, string word)
    {
        var next = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or (byte)'_' or (byte)'-')
            {
                continue;
            }

            if (next == word.Length || (b | 0x20) != word[next])
            {
                return false;
            }

            next++;
        }

        return next == word.Length;
    }
}
