using Microsoft.Extensions.Logging;
using Suppression.Delivery;
using Suppression.Smtp.Telemetry;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// Puts a message's blocked deliveries on record once per recipient, however often the client
/// sends the message again after a 451 (a deferred copy, a failed DSN): the audit trail counts
/// deliveries the gateway stopped, not the client's attempts.
/// </summary>
public sealed class BlockedDeliveryRecorder(IBlockedDeliveryLog log, IRecordedBlockedDeliveries recorded, ILogger<BlockedDeliveryRecorder> logger)
{
    /// <returns>False when the records could not be written: the message must then be deferred.</returns>
    public async Task<bool> RecordOnceAsync(IReadOnlyList<BlockedDelivery> deliveries, string messageKey, string transactionId, CancellationToken cancellationToken)
    {
        var unrecorded = await NotYetRecordedAsync(deliveries, messageKey, transactionId, cancellationToken);
        if (unrecorded.Count == 0)
        {
            return true;
        }

        try
        {
            await log.RecordAsync(unrecorded, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Every blocked delivery is on record, or the client tries again later.
            logger.BlockedDeliveriesNotRecorded(transactionId, exception);
            return false;
        }

        // Marked only once on record: a mark without its record would lose the record on the retry.
        // The two are in different cluster slots (the recipient's bucket, the message), so not one
        // write; a crash between them records the delivery a second time, never not at all.
        try
        {
            await Task.WhenAll(unrecorded.Select(delivery => recorded.MarkRecordedAsync(messageKey, delivery.Recipient, cancellationToken)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.RecordedBlockedDeliveriesNotRemembered(transactionId, exception);
        }

        return true;
    }

    private async Task<IReadOnlyList<BlockedDelivery>> NotYetRecordedAsync(
        IReadOnlyList<BlockedDelivery> deliveries, string messageKey, string transactionId, CancellationToken cancellationToken)
    {
        try
        {
            var already = await recorded.GetRecordedAsync(messageKey, deliveries.Select(delivery => delivery.Recipient).ToList(), cancellationToken);
            return already.Count == 0 ? deliveries : deliveries.Where(delivery => !already.Contains(delivery.Recipient.Value)).ToList();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A record twice is better than none.
            logger.RecordedBlockedDeliveriesNotRead(transactionId, exception);
            return deliveries;
        }
    }
}
