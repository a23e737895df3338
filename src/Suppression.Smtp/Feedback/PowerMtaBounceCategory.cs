using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// PowerMTA's own classification of a recipient's failure, the per-recipient field
/// "X-PowerMTA-BounceCategory" it adds to its DSNs. PowerMTA held the SMTP session and knows which
/// command the reply answered; "bad-mailbox" and "bad-domain" are its verdict that the mailbox or
/// the domain is not there (sisimai's Lhost/PowerMTA.pm maps them to userunknown and hostunknown).
/// </summary>
internal static class PowerMtaBounceCategory
{
    public static bool SaysRecipientUnknown(HeaderList group) =>
        group["X-PowerMTA-BounceCategory"]?.Trim().ToLowerInvariant() is "bad-mailbox" or "bad-domain";
}
