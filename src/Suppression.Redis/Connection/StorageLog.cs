using Microsoft.Extensions.Logging;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Connection;

/// <summary>
/// The store's log events (5000-5999; the Redis circuits, 5100-5199, are in RedisLog; audit
/// verification, 5300-5399, is the console's, in AuditVerificationLog): connecting, the stored format,
/// the audit trail's retention, the webhook outboxes. The ids are a
/// contract (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class StorageLog
{
    // 5000-5099: connecting and the stored format.
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Suppression:Redis is empty: embedded store listening on 127.0.0.1:{Port}, data in {Directory}")]
    public static partial void EmbeddedStoreStarted(this ILogger logger, int port, string directory);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Redis is not reachable yet: recipients are deferred (451 4.3.0) until it is")]
    public static partial void RedisNotReachableAtStart(this ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Redis script warm-up failed")]
    public static partial void ScriptWarmUpFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning,
        Message = "Suppression:NewStoreFormat is {Wanted}, but this store holds data and stays {Format}: POST /api/v1/storage/upgrade?format={WantedName} moves it (docs/operations.md, upgrades)")]
    public static partial void NewStoreFormatNotApplied(this ILogger logger, StorageFormat wanted, StorageFormat format, string wantedName);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information,
        Message = "The suppression list is stored as text (suppression-v1): once every gateway against this Redis runs this version, POST /api/v1/storage/upgrade stores it in half the memory (docs/operations.md, upgrades)")]
    public static partial void StoredAsText(this ILogger logger);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "The suppression list is stored compact (suppression-v2), addresses kept for exports")]
    public static partial void StoredCompact(this ILogger logger);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "The suppression list is stored hashed (suppression-v3): no addresses kept, exports give mailbox keys")]
    public static partial void StoredHashed(this ILogger logger);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Could not read the suppression list's format marker")]
    public static partial void FormatMarkerUnreadable(this ILogger logger, Exception exception);

    // 5200-5299: audit retention.
    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Audit retention: removed {Count} blocked-delivery records older than {Days} days")]
    public static partial void AuditRetentionRemoved(this ILogger logger, long count, double days);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Audit retention could not run")]
    public static partial void AuditRetentionFailed(this ILogger logger, Exception exception);

    // 5400-5499: webhook outboxes.
    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Webhook fan-out could not run: events wait in the outboxes until it can")]
    public static partial void WebhookFanOutFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "Webhook sweep: {Count} outboxes had pointers waiting, marked ready")]
    public static partial void WebhookOutboxesSwept(this ILogger logger, long count);
}
