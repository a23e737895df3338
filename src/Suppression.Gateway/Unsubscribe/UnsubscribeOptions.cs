using Suppression.Smtp.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>The <c>Suppression:Unsubscribe</c> section: the stamped links and the public /u/{token} pages.</summary>
public sealed class UnsubscribeOptions
{
    /// <summary>
    /// Requests per client IP address (an IPv6 client: per /64) per minute whose link is not valid
    /// (altered, cut off, expired, or no link at all); more get 429. Requests with a valid link are
    /// limited per link and per recipient instead, never by address: a mailbox provider sends every
    /// recipient's one-click from a few addresses.
    /// </summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Requests with one valid link per minute (the page, its buttons, a provider's retries); more get 429.</summary>
    public int RequestsPerLinkPerMinute { get; set; } = 10;

    /// <summary>Requests with valid links for one recipient (mailbox) per minute, whatever the link; more get 429.</summary>
    public int RequestsPerRecipientPerMinute { get; set; } = 30;

    /// <summary>
    /// The address in the stamped <c>mailto:</c> link. Mail to it is handled by the gateway itself,
    /// so the domain's MX must point at the gateway's SMTP port. Unset: <c>unsubscribe@{Smtp:Hostname}</c>;
    /// empty: no mailto link.
    /// </summary>
    public string? MailtoAddress { get; set; }

    /// <summary>What to do with List-Unsubscribe headers the sender set: <c>Replace</c> or <c>KeepIfPresent</c>.</summary>
    public SenderListUnsubscribe SenderHeaders { get; set; } = SenderListUnsubscribe.Replace;

    /// <summary>How long after unsubscribing the recipient may undo it from the confirmation page.</summary>
    public TimeSpan UndoWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// What the pages call the sender of mail whose tenant has no <c>DisplayName</c>, and of mail sent
    /// for no tenant (the operator's organisation). Unset: the tenant's id, or "the sender of this message".
    /// </summary>
    public string? OrganizationName { get; set; }

    /// <summary>The mailto address in effect: the configured one, or the default from the SMTP host name.</summary>
    public string? EffectiveMailtoAddress(string smtpHostname) => MailtoAddress switch
    {
        null => "unsubscribe@" + smtpHostname,
        "" => null,
        var address => address.Trim(),
    };
}
