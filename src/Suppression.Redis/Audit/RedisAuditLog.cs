using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Audit;

// Appends to one list (RedisKeyLayout.AuditLogKey), like the blocked-delivery log. Errors propagate:
// an unsubscribe whose audit record cannot be written is reported as not done, and the retry writes it.
public sealed class RedisAuditLog : IAuditLog
{
    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;

    public RedisAuditLog(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        database = connection.GetDatabase();
        this.layout = layout;
    }

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        await database.ListRightPushAsync(layout.AuditLogKey, AuditRecordJson.ToJson(record)).WaitAsync(cancellationToken);
    }
}
