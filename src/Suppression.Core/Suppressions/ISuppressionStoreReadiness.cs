namespace Suppression.Suppressions;

/// <summary>
/// The suppression store has started (connected, or reconnecting on its own, with its format
/// checked). Parts built before the host starts, such as the SMTP listener and background jobs, await it
/// before they build anything that uses the store.
/// </summary>
public interface ISuppressionStoreReadiness
{
    /// <summary>Completes when the store has started; faults if its start failed.</summary>
    Task WhenReadyAsync(CancellationToken cancellationToken);
}
