namespace Suppression.Smtp.Feedback;

public enum FeedbackOutcome
{
    // Delivered, relayed, expanded, or a report type that says nothing about consent.
    None,

    // A temporary failure, or a permanent one that blames the message or the sender rather than
    // the mailbox: worth counting, never a suppression on its own.
    SoftBounce,

    // The mailbox does not exist or is disabled: suppress for all mail.
    HardBounce,

    // The recipient reported the mail as abuse or fraud: suppress marketing mail.
    Complaint,
}
