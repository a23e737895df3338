namespace Suppression.Delivery;

/// <summary>Where blocked deliveries are recorded; a later stage turns this into the hash-chained audit log.</summary>
public interface IBlockedDeliveryLog
{
    Task RecordAsync(IReadOnlyList<BlockedDelivery> deliveries, CancellationToken cancellationToken);
}
