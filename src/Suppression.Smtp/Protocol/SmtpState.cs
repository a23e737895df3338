namespace Suppression.Smtp.Protocol;

public enum SmtpState
{
    /// <summary>Connected, no EHLO/HELO yet (RFC 5321 4.1.4: a mail transaction needs one first).</summary>
    Connected,

    /// <summary>Greeted; no transaction open.</summary>
    Ready,

    /// <summary>MAIL accepted, no recipient accepted yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted; DATA may follow.</summary>
    RecipientGiven,
}
