using Suppression.Addresses;

namespace Suppression.Feedback;

/// <summary>What bounce and complaint handling keeps besides suppressions: soft-bounce counts, and reports nobody could read.</summary>
public interface IFeedbackStore
{
    /// <summary>Counts one soft bounce of the address; returns how many it has had within the window that began with the first.</summary>
    Task<long> CountSoftBounceAsync(NormalizedAddress address, TimeSpan window, CancellationToken cancellationToken);

    /// <summary>Keeps a report that could not be read (the newest 1,000), with why, for a person to inspect.</summary>
    Task KeepRejectedAsync(DateTimeOffset time, string clientAddress, string reason, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
