using System.Text;
using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>
/// Turns what each export says about a row into our reason. Anything an export says that is not a
/// lasting opt-out or block (an SES reason we do not know, a SendGrid 4.x.x deferral) is an error
/// for that row, never a guess.
/// </summary>
internal static class ImportReasonMapping
{
    /// <param name="reason">The format's reason column; empty when it has none.</param>
    /// <param name="origin">Postmark's Origin column; empty for other formats.</param>
    public static bool TryMap(ImportFormat format, ReadOnlySpan<byte> reason, ReadOnlySpan<byte> origin, out SuppressionReason mapped, out string error)
    {
        error = string.Empty;
        reason = FieldText.Trim(reason);
        switch (format)
        {
            case ImportFormat.Gateway:
                if (ContractNames.TryParseReason(Encoding.UTF8.GetString(reason), out mapped))
                {
                    return true;
                }

                error = "unknown reason " + FieldText.Quote(reason) + ": expected one of " + string.Join(", ", ContractNames.AllReasonNames);
                return false;

            case ImportFormat.SesSuppressedDestinations or ImportFormat.SesBulkImport:
                return TryMapSesReason(reason, out mapped, out error);

            case ImportFormat.SendGridBounces:
                return TryMapSendGridStatus(reason, out mapped, out error);

            case ImportFormat.Postmark:
                return TryMapPostmarkReason(reason, FieldText.Trim(origin), out mapped, out error);

            case ImportFormat.BrevoBlocked:
                return MarketingPlatformReasons.TryMapBrevo(reason, out mapped, out error);

            case ImportFormat.Klaviyo:
                return MarketingPlatformReasons.TryMapKlaviyo(reason, out mapped, out error);

            case ImportFormat.SendGridSpamReports or ImportFormat.MailgunComplaints:
                mapped = SuppressionReason.Complaint;
                return true;

            case ImportFormat.SendGridUnsubscribes or ImportFormat.MailgunUnsubscribes or ImportFormat.MailchimpUnsubscribed:
                mapped = SuppressionReason.Unsubscribe;
                return true;

            // Mailchimp cleans an address after a hard bounce, or repeated soft bounces, and calls it invalid.
            case ImportFormat.SendGridInvalidEmails or ImportFormat.MailgunBounces or ImportFormat.MailchimpCleaned:
                mapped = SuppressionReason.HardBounce;
                return true;

            default:
                // Address lists take the caller's reason and HubSpot's flags need the whole row: see ImportRowParser.
                throw new ArgumentOutOfRangeException(nameof(format), format, "No reason mapping for this format.");
        }
    }

    private static bool TryMapSesReason(ReadOnlySpan<byte> reason, out SuppressionReason mapped, out string error)
    {
        error = string.Empty;
        if (Ascii.EqualsIgnoreCase(reason, "BOUNCE"u8))
        {
            mapped = SuppressionReason.HardBounce;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(reason, "COMPLAINT"u8))
        {
            mapped = SuppressionReason.Complaint;
            return true;
        }

        mapped = default;
        error = "unknown SES reason " + FieldText.Quote(reason) + ": expected BOUNCE or COMPLAINT";
        return false;
    }

    // SendGrid lists a bounce with its enhanced status code (RFC 3463): 5.x.x is permanent, 4.x.x
    // a deferral that SendGrid later retried, so not a reason to stop sending.
    private static bool TryMapSendGridStatus(ReadOnlySpan<byte> status, out SuppressionReason mapped, out string error)
    {
        error = string.Empty;
        mapped = SuppressionReason.HardBounce;
        if (status.IsEmpty || status[0] == (byte)'5')
        {
            return true;
        }

        error = status[0] == (byte)'4'
            ? "temporary failure, not a suppression"
            : "unknown bounce status " + FieldText.Quote(status) + ": expected a 5.x.x status";
        return false;
    }

    // Postmark's SuppressionReason is HardBounce, SpamComplaint or ManualSuppression; a manual
    // suppression whose Origin is Recipient is the recipient unsubscribing.
    private static bool TryMapPostmarkReason(ReadOnlySpan<byte> reason, ReadOnlySpan<byte> origin, out SuppressionReason mapped, out string error)
    {
        error = string.Empty;
        if (Ascii.EqualsIgnoreCase(reason, "HardBounce"u8))
        {
            mapped = SuppressionReason.HardBounce;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(reason, "SpamComplaint"u8))
        {
            mapped = SuppressionReason.Complaint;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(reason, "ManualSuppression"u8))
        {
            mapped = Ascii.EqualsIgnoreCase(origin, "Recipient"u8) ? SuppressionReason.Unsubscribe : SuppressionReason.Manual;
            return true;
        }

        mapped = default;
        error = "unknown Postmark reason " + FieldText.Quote(reason) + ": expected HardBounce, SpamComplaint or ManualSuppression";
        return false;
    }
}
