using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Tests.Fixtures;

/// <summary>An audit key and record for tests about something else than the audit trail.</summary>
internal static class TestAudit
{
    public static AuditKey Key { get; } = new(Enumerable.Range(1, AuditKey.SecretLength).Select(i => (byte)i).ToArray());

    public static AuditRecord Any => new(DateTimeOffset.UtcNow, AuditEventType.Suppressed, "test");

    public static AuditedChangeWriter Writer(IConnectionMultiplexer connection, RedisKeyLayout layout) => new(connection, layout, Key);
}
