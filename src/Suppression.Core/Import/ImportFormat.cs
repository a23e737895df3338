namespace Suppression.Import;

/// <summary>The suppression-list exports an import recognises, each by its header row.</summary>
public enum ImportFormat
{
    Gateway,
    SesSuppressedDestinations,
    SesBulkImport,
    SendGridBounces,
    SendGridSpamReports,
    SendGridInvalidEmails,
    SendGridUnsubscribes,
    MailgunBounces,
    MailgunUnsubscribes,
    MailgunComplaints,
    Postmark,
}
