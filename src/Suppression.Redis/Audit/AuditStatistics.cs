using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Layout;
using Suppression.Suppressions;

namespace Suppression.Redis.Audit;

// Per-day counters for the console's chart (sup:stats:<yyyy-mm-dd>, fields unsubscribe, complaint,
// hard-bounce, manual, import, erasure, blocked, overridden, resubscribed). They are a convenience, not the
// record: incremented after the record is written, fire and forget, so a crash in between
// under-counts by one. The audit chains stay the source of truth.
internal static class AuditStatistics
{
    public const string BlockedField = "blocked";
    public const string ResubscribedField = "resubscribed";
    public const string OverriddenField = "overridden";

    public static void Count(IDatabase database, RedisKeyLayout layout, AuditRecord record)
    {
        var field = record switch
        {
            { Type: AuditEventType.Blocked } => BlockedField,
            { Type: AuditEventType.Overridden } => OverriddenField,
            { Type: AuditEventType.Resubscribed, Changed: true } => ResubscribedField,
            { Type: AuditEventType.Suppressed or AuditEventType.Widened, Changed: true, Reason: { } reason } => reason.Name(),
            _ => null,
        };
        if (field is not null)
        {
            Add(database, layout, record.Time, field, 1);
        }
    }

    public static void Add(IDatabase database, RedisKeyLayout layout, DateTimeOffset time, string field, long count) =>
        database.HashIncrement(layout.StatisticsKey(DateOnly.FromDateTime(time.UtcDateTime)), field, count, CommandFlags.FireAndForget);
}
