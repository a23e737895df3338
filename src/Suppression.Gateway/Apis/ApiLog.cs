using Suppression.Suppressions;

namespace Suppression.Gateway.Apis;

/// <summary>
/// The HTTP endpoints' log events: unsubscribe pages (6000-6009; unsubscribes by mail are 6010-6019)
/// and the admin API (6100-6199). The ids are a contract (docs/operations.md, Log events): never
/// reused, never renumbered. Addresses stay out: an erasure names the hash, evidence comes redacted.
/// </summary>
internal static partial class ApiLog
{
    // 6000-6009: /u/ pages.
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Outcome}")]
    public static partial void UnsubscribeHandled(this ILogger logger, string outcome);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Suppression list unavailable, unsubscribe request not recorded (503)")]
    public static partial void UnsubscribeUnavailable(this ILogger logger, Exception exception);

    // 6100-6199: /api/v1.
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Suppression {Outcome} via API: scope {Scope}, reason {Reason}")]
    public static partial void SuppressionAddedByApi(this ILogger logger, string outcome, SuppressionScope scope, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Suppression removed via API (re-consent): {Count} entr(ies), scope {Scope}, evidence: {Evidence}")]
    public static partial void SuppressionRemovedByApi(this ILogger logger, int count, string scope, string evidence);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Erasure: address hash {AddressHash}, {Records} audit record(s) blanked")]
    public static partial void AddressErased(this ILogger logger, string addressHash, long records);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information,
        Message = "Import {Batch} ({Format}): {Rows} rows, {Imported} imported, {Unchanged} unchanged, {Rejected} rejected in {Seconds:0.0} s")]
    public static partial void ImportFinished(this ILogger logger, string batch, string format, long rows, long imported, long unchanged, long rejected, double seconds);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information,
        Message = "Storage upgrade to {Format}: {Mailboxes} mailboxes, {Converted} converted, {AlreadyInFormat} already {Format}, {KeptAsText} kept as text, {Unreadable} unreadable, in {Seconds:0.0} s")]
    public static partial void StorageUpgraded(this ILogger logger, string format, long mailboxes, long converted, long alreadyInFormat, long keptAsText, long unreadable, double seconds);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "SMTP login failures cleared for {Client} ({Scope}) by {Actor}: {Records} records")]
    public static partial void SmtpLockoutsCleared(this ILogger logger, string client, string scope, object? actor, int records);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Warning, Message = "Suppression list unavailable, {Method} {Route} answered 503")]
    public static partial void ApiStoreUnavailable(this ILogger logger, string method, string? route, Exception exception);
}
