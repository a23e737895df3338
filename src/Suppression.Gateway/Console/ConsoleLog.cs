using System.Net;

namespace Suppression.Gateway.Console;

/// <summary>
/// The compliance console's log events (6200-6299): who signed in, looked up or downloaded what.
/// The ids are a contract (docs/operations.md, Log events): never reused, never renumbered. Actors
/// are key fingerprints; an address looked up is never logged.
/// </summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Console sign-in: {Actor} from {Client}")]
    public static partial void ConsoleSignedIn(this ILogger logger, string actor, string client);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Console sign-in failed from {Client}: not a compliance or admin key")]
    public static partial void ConsoleSignInFailed(this ILogger logger, string client);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Console sign-in refused: too many failed sign-ins from {Client}")]
    public static partial void ConsoleSignInThrottled(this ILogger logger, string client);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Information, Message = "Console sign-out: {Actor}")]
    public static partial void ConsoleSignedOut(this ILogger logger, string? actor);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Information, Message = "Console download by {Actor}: {What}")]
    public static partial void ConsoleDownload(this ILogger logger, string? actor, string what);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Information, Message = "Console address history viewed by {Actor}")]
    public static partial void ConsoleAddressHistoryViewed(this ILogger logger, string? actor);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Warning, Message = "Console form refused: no valid antiforgery token on POST {Path} from {Client}")]
    public static partial void ConsoleFormRefused(this ILogger logger, PathString path, IPAddress? client);

    [LoggerMessage(EventId = 6208, Level = LogLevel.Warning, Message = "Console page unavailable (503)")]
    public static partial void ConsolePageUnavailable(this ILogger logger, Exception exception);
}
