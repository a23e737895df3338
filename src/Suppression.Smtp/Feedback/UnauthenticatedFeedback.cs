namespace Suppression.Smtp.Feedback;

/// <summary>
/// What a report does when nothing proves it is about mail the gateway sent: it came to a feedback
/// address, not to a signed return path, and (for a complaint) the returned message carries no token
/// of ours for the complainant. Anyone can send such a report.
/// </summary>
public enum UnauthenticatedFeedback
{
    // Suppresses nobody: the report waits in the review queue for a person to apply or dismiss.
    Review,

    // Acts as an authenticated report would, so a stranger can suppress any address.
    Act,
}
