namespace Suppression.Smtp.Feedback;

public enum FeedbackKind
{
    // An RFC 3464 delivery status notification: a bounce, a delay warning or a success receipt.
    DeliveryStatus,

    // An RFC 5965 Abuse Reporting Format report from a mailbox provider's feedback loop.
    Complaint,

    // Not a report this gateway reads (ordinary mail, plain-text bounces, read receipts).
    Unrecognized,

    // Says it is a DSN or an ARF report but lacks what one must carry.
    Malformed,
}
