using Suppression.Addresses;

namespace Suppression.Delivery;

/// <summary>
/// The blocked deliveries of a message already on record, remembered for the client's retry window
/// beside the accepted copies (same message key, <see cref="IAcceptedCopies.DeriveMessageKey"/>), so
/// that each is recorded once however often the client sends the message again.
/// </summary>
public interface IRecordedBlockedDeliveries
{
    /// <returns>The <see cref="NormalizedAddress.Value"/>s of the recipients whose blocked delivery is on record.</returns>
    Task<IReadOnlySet<string>> GetRecordedAsync(string messageKey, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken);

    Task MarkRecordedAsync(string messageKey, NormalizedAddress recipient, CancellationToken cancellationToken);
}
