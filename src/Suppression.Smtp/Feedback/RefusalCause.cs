namespace Suppression.Smtp.Feedback;

/// <summary>What a remote server's refusal blames, as far as its codes and words prove it.</summary>
public enum RefusalCause
{
    /// <summary>The mailbox or its domain does not exist or is disabled for good: the one cause that suppresses.</summary>
    MailboxGone,
    MailboxFull,
    SenderRejected,
    Policy,
    RateLimited,
    Content,
    Expired,
    Routing,
    Transient,
    NotUnderstood,
}
