namespace Suppression.Suppressions;

public enum SuppressionSource
{
    OneClick,
    Mailto,
    Page,
    Api,
    Import,
    Dsn,
    Arf,

    /// <summary>The gateway's own upstream refused a copy for a mailbox that is gone: a bounce seen first-hand.</summary>
    Relay,

    /// <summary>An upstream ESP's signed event webhook (Mailgun, Postmark, SendGrid, SES); the audit's actor names which.</summary>
    ProviderEvent,

    /// <summary>The recipient's choices on the preference page (POST /u/{token}/preferences).</summary>
    Preferences,
}
