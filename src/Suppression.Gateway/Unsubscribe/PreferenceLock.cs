namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Why the preference page offers no opting back in at all: an entry covering the whole sender
/// that the link's holder cannot reverse.
/// </summary>
public enum PreferenceLock
{
    None,
    Bounced,
    Complaint,
    Erased,

    /// <summary>A global opt-out: it is about every sender, and one sender's page does not speak for the others.</summary>
    EverySender,

    /// <summary>Manual, API or imported blocks.</summary>
    Stopped,
}
