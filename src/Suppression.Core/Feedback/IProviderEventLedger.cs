namespace Suppression.Feedback;

/// <summary>
/// The events an upstream ESP has already delivered to the gateway (and Mailgun's one-time tokens),
/// remembered for a while: ESPs deliver at least once and retry, so the same event id may come
/// again, and a replayed signed request must change nothing.
/// </summary>
public interface IProviderEventLedger
{
    /// <summary>Records the id; false when it was already recorded within <paramref name="retention"/>.</summary>
    /// <param name="kind">What the id names, for example <c>mailgun</c> (an event) or <c>mailgun-token</c>.</param>
    Task<bool> TryRecordAsync(string kind, string id, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Forgets an id whose event could not be recorded, so the provider's retry is not taken for a duplicate.</summary>
    Task ForgetAsync(string kind, string id, CancellationToken cancellationToken);

    /// <summary>Keeps a recorded id for <paramref name="retention"/> from now: an id is taken for a short while first, and kept once its event is recorded.</summary>
    Task KeepAsync(string kind, string id, TimeSpan retention, CancellationToken cancellationToken);
}
