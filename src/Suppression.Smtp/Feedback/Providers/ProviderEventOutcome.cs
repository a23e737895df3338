namespace Suppression.Smtp.Feedback.Providers;

public enum ProviderEventOutcome
{
    // A suppression was written (or the soft bounce that completed SoftBounceLimit).
    Suppressed,

    // Counted as a soft bounce, or the recipient was suppressed already: nothing new.
    Recorded,

    // Not provably about mail the gateway relayed to this recipient: held in the review queue.
    Held,

    // As Held, but the review queue's share for the source is used up: nobody suppressed, nothing kept.
    NotHeld,

    // The event id was seen before: nothing done.
    Duplicate,

    // Says nothing about consent.
    Ignored,
}
