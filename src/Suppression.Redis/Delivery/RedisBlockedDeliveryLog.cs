using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Delivery;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Delivery;

// Each blocked delivery (and each transactional copy let past an opt-out) is a record of its recipient's bucket's blocked-deliveries chain, so an
// address's history is one bucket's two chains. The records of one message are written
// concurrently (different buckets do not contend). Errors propagate: the caller decides whether a
// delivery may proceed unlogged (it may not: the message is deferred).
public sealed class RedisBlockedDeliveryLog : IBlockedDeliveryLog
{
    private readonly RedisKeyLayout _layout;
    private readonly AuditedChangeWriter _audit;

    public RedisBlockedDeliveryLog(RedisKeyLayout layout, AuditedChangeWriter audit)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        _layout = layout;
        _audit = audit;
    }

    public async Task RecordAsync(IReadOnlyList<BlockedDelivery> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        cancellationToken.ThrowIfCancellationRequested();
        await Task.WhenAll(deliveries.Select(delivery =>
            _audit.AppendAsync(_layout.Locate(delivery.Recipient), blocked: true, _ => (Record(delivery), true), cancellationToken)));
    }

    private static AuditRecord Record(BlockedDelivery delivery) =>
        new(delivery.Time, delivery.Overridden ? AuditEventType.Overridden : AuditEventType.Blocked, "smtp:" + delivery.ClientAddress)
        {
            Address = delivery.Recipient,
            Scope = delivery.Scope,
            Reason = delivery.Reason,
            Source = delivery.Source,
            ClientAddress = delivery.ClientAddress.ToString(),
            MessageId = delivery.MessageId,
            Sender = delivery.EnvelopeSender,
            Tenant = delivery.Tenant,
        };
}
