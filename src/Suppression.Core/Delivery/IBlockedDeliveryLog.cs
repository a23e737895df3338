namespace Suppression.Delivery;

/// <summary>Where blocked deliveries are recorded: as records of the hash-chained audit trail.</summary>
public interface IBlockedDeliveryLog
{
    Task RecordAsync(IReadOnlyList<BlockedDelivery> deliveries, CancellationToken cancellationToken);
}
