using Microsoft.Extensions.Logging;

namespace Suppression.Redis.Telemetry;

/// <summary>
/// The store's log events from this project (5100-5199, in the storage range 5000-5999): the Redis
/// circuits. The ids are a contract (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "Redis circuit {Pipeline} opened for {BreakDuration}: calls fail at once (recipients deferred) until a trial call succeeds")]
    public static partial void RedisCircuitOpened(this ILogger logger, string pipeline, TimeSpan breakDuration, Exception? exception);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Redis circuit {Pipeline} closed: Redis answers again")]
    public static partial void RedisCircuitClosed(this ILogger logger, string pipeline);
}
