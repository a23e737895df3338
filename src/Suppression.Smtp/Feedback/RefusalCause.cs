namespace Suppression.Smtp.Feedback;

/// <summary>What a remote server's refusal blames, as far as its codes and words prove it.</summary>
public enum RefusalCause
{
    /// <summary>The mailbox or its domain does not exist or is disabled for good: the one cause that suppresses.</summary>
    MailboxGone,
    MailboxFull,

    /// <summary>The account is disabled, inactive or suspended: it exists and may come back.</summary>
    Suspended,

    /// <summary>The recipient's own rules refused the message, or mailbox words came after DATA: the mailbox exists.</summary>
    Filtered,

    /// <summary>A local delivery program failed (a Diagnostic-Code of type X-UNIX, RFC 3464 2.3.6).</summary>
    MailerError,
    SenderRejected,
    Policy,
    RateLimited,
    Content,
    Expired,
    Routing,
    Transient,
    NotUnderstood,
}
