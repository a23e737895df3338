using Suppression.Addresses;

namespace Suppression.Feedback;

/// <summary>What bounce and complaint handling keeps besides suppressions: soft-bounce counts, and reports nobody could read.</summary>
public interface IFeedbackStore
{
    /// <summary>Counts one soft bounce of the address; returns how many it has had within the window that began with the first.</summary>
    Task<long> CountSoftBounceAsync(NormalizedAddress address, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a report that could not be read (the newest 1,000), with why, for a person to inspect;
    /// false, keeping nothing, when its source (<paramref name="source"/>, a network) already had
    /// <paramref name="maxPerSource"/> kept within <paramref name="window"/>: one source's junk cannot
    /// push everyone else's reports out of the list.
    /// </summary>
    Task<bool> KeepRejectedAsync(
        DateTimeOffset time, string clientAddress, string source, int maxPerSource, TimeSpan window, string reason, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
