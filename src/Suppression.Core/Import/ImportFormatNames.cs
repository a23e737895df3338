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
        [ImportFormat.AddressList] = "address-list",
        [ImportFormat.MailchimpUnsubscribed] = "mailchimp-unsubscribed",
        [ImportFormat.MailchimpCleaned] = "mailchimp-cleaned",
        [ImportFormat.HubSpot] = "hubspot",
        [ImportFormat.BrevoBlocked] = "brevo-blocked",
        [ImportFormat.BrevoContacts] = "brevo-contacts",
        [ImportFormat.Klaviyo] = "klaviyo",
    };

    public static string Name(this ImportFormat format) => Names[format];

    /// <summary>
    /// Formats whose rows do not say why an address is listed: the caller says it (<c>?reason=</c>,
    /// <c>manual</c> by default, which needs evidence).
    /// </summary>
    public static bool TakesReasonFromCaller(this ImportFormat format) => format is ImportFormat.AddressList or ImportFormat.BrevoContacts;
}
