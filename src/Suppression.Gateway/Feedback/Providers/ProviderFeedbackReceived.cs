namespace Suppression.Gateway.Feedback.Providers;

/// <summary>The answer to an ESP's webhook request: what its events did.</summary>
/// <param name="Events">Events in the request about bounces, complaints or unsubscribes.</param>
/// <param name="Held">Not provably about a copy the gateway relayed to that recipient: in the review queue (or not kept, its share used up).</param>
public sealed record ProviderFeedbackReceived(int Events, int Suppressed, int Held, int Duplicates);
