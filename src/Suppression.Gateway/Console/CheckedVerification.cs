using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>One run of the chain verification: its result, when it finished, how long it took and who asked.</summary>
public sealed record CheckedVerification(AuditVerification Result, DateTimeOffset CheckedAt, TimeSpan Duration, string CheckedBy);
