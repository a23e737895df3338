namespace Suppression.Import;

/// <summary>
/// The spellings of import formats in the public contract (API responses, audit records). Like
/// <see cref="Suppressions.ContractNames"/>, they never come from <c>Enum.ToString()</c>.
/// </summary>
public static class ImportFormatNames
{
    private static readonly Dictionary<ImportFormat, string> Names = new()
    {
        [ImportFormat.Gateway] = "gateway",
        [ImportFormat.SesSuppressedDestinations] = "ses",
        [ImportFormat.SesBulkImport] = "ses-bulk",
        [ImportFormat.SendGridBounces] = "sendgrid-bounces",
        [ImportFormat.SendGridSpamReports] = "sendgrid-spam-reports",
        [ImportFormat.SendGridInvalidEmails] = "sendgrid-invalid-emails",
        [ImportFormat.SendGridUnsubscribes] = "sendgrid-unsubscribes",
        [ImportFormat.MailgunBounces] = "mailgun-bounces",
        [ImportFormat.MailgunUnsubscribes] = "mailgun-unsubscribes",
        [ImportFormat.MailgunComplaints] = "mailgun-complaints",
        [ImportFormat.Postmark] = "postmark",
    };

    public static string Name(this ImportFormat format) => Names[format];
}
