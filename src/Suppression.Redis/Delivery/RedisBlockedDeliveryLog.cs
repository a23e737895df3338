using StackExchange.Redis;
using Suppression.Delivery;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Delivery;

// Appends to one list (RedisKeyLayout.BlockedDeliveryLogKey): a list is ordered, cheap to append
// to and available on Garnet, which lacks Streams. Errors propagate: the caller decides whether a
// delivery may proceed unlogged.
public sealed class RedisBlockedDeliveryLog : IBlockedDeliveryLog
{
    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;

    public RedisBlockedDeliveryLog(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        database = connection.GetDatabase();
        this.layout = layout;
    }

    public async Task RecordAsync(IReadOnlyList<BlockedDelivery> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        cancellationToken.ThrowIfCancellationRequested();
        if (deliveries.Count == 0)
        {
            return;
        }

        // One RPUSH with every record: one round trip, and the records of one call stay adjacent.
        var records = new RedisValue[deliveries.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = BlockedDeliveryRecord.ToJson(deliveries[i]);
        }

        await database.ListRightPushAsync(layout.BlockedDeliveryLogKey, records).WaitAsync(cancellationToken);
    }
}
