namespace Suppression.Smtp.Feedback.Providers;

/// <summary>What an ESP says happened to one recipient, in its own terms before any decision.</summary>
public enum ProviderEventKind
{
    // The ESP gave up: judged by the decision table from its status and diagnostic, as a DSN's "failed".
    PermanentBounce,

    // The ESP will retry, or the failure was its own kind of temporary: a soft bounce, as a DSN's "delayed".
    TransientBounce,

    // The recipient marked the mail as spam.
    Complaint,

    // The recipient used the ESP's own unsubscribe link.
    Unsubscribe,

    // Delivered, opened, clicked, ...: nothing about consent.
    Other,
}
