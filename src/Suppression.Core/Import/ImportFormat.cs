namespace Suppression.Import;

/// <summary>The suppression-list files an import recognises, each by its header row (or, for a headerless list, its first line).</summary>
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
    AddressList,
    MailchimpUnsubscribed,
    MailchimpCleaned,
    HubSpot,
    BrevoBlocked,
    BrevoContacts,
    Klaviyo,
}
