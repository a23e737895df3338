using Suppression.Smtp.Messages.Unsubscribe;

namespace Suppression.Gateway.Configuration;

/// <summary>The <c>Suppression:Unsubscribe</c> section: the stamped links and the public /u/{token} pages.</summary>
public sealed class UnsubscribeOptions
{
    /// <summary>GET and POST requests per client IP address per minute; more get 429.</summary>
    public int RequestsPerMinute { get; set; } = 30;

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

    /// <summary>The mailto address in effect: the configured one, or the default from the SMTP host name.</summary>
    public string? EffectiveMailtoAddress(string smtpHostname) => MailtoAddress switch
    {
        null => "unsubscribe@" + smtpHostname,
        "" => null,
        var address => address.Trim(),
    };
}
