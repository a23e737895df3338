using Suppression.Audit;

namespace Suppression.Smtp.Tests;

/// <summary>An audit record for tests about something else than the audit trail.</summary>
internal static class TestAudit
{
    public static AuditRecord Any => new(DateTimeOffset.UtcNow, AuditEventType.Suppressed, "test");
}
