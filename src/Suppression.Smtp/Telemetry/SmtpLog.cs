using System.Net;
using Microsoft.Extensions.Logging;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// The SMTP server's log events (2000-2999): sessions, AUTH, recipient checks and blocked-delivery
/// records. The ids are a contract (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class SmtpLog
{
    // 2000-2099: connections and sessions.
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "SMTP session with {Client} failed")]
    public static partial void SessionFailed(this ILogger logger, IPAddress client, Exception exception);

    /// <param name="verb">The command answered; without one, the status of the line read (too long, timed out...) names it.</param>
    public static void CommandAnswered(this ILogger logger, SmtpVerb? verb, CommandLineStatus status, int code)
    {
        // Once per command: the names are spelt only when someone reads them (CA1873).
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.CommandAnswered(verb?.ToString() ?? status.ToString(), code);
        }
    }

    [LoggerMessage(EventId = 2002, EventName = nameof(CommandAnswered), Level = LogLevel.Debug, Message = "{Verb} answered {Code}")]
    private static partial void CommandAnswered(this ILogger logger, string verb, int code);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "TLS handshake with {Client} failed")]
    public static partial void TlsHandshakeFailed(this ILogger logger, IPAddress client, Exception exception);

    // The spool keeps only the failure's message (MessageSpool.Failure), so the event carries text.
    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Could not buffer a message in the temporary directory, deferring it: {Error}")]
    public static partial void MessageNotBuffered(this ILogger logger, string error);

    // 2100-2199: AUTH. A username is often an address (news@sender.example): callers pass it redacted.
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "AUTH succeeded for {Username} (tenant {Tenant}) from {Client}")]
    public static partial void AuthSucceeded(this ILogger logger, string username, string tenant, IPAddress client);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "AUTH failed for {Username} from {Client}")]
    public static partial void AuthFailed(this ILogger logger, string username, IPAddress client);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "AUTH failed for {Username} from {Client}; AUTH from there is locked out until {LockedUntil:u}")]
    public static partial void AuthFailedLockedOut(this ILogger logger, string username, IPAddress client, DateTimeOffset lockedUntil);

    // 2200-2299: recipient checks.
    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Suppression list unavailable, deferring recipient")]
    public static partial void RecipientDeferredListUnavailable(this ILogger logger, Exception exception);

    // 2300-2399: blocked and overridden deliveries put on record.
    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Could not record {Count} blocked deliveries of abandoned transaction {TransactionId}")]
    public static partial void AbandonedBlockedDeliveriesNotRecorded(this ILogger logger, int count, string transactionId, Exception exception);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Could not record a refused recipient")]
    public static partial void RefusedRecipientNotRecorded(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Could not record blocked deliveries, deferring message {TransactionId}")]
    public static partial void BlockedDeliveriesNotRecorded(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Could not remember the recorded blocked deliveries of message {TransactionId}; a retry will record them again")]
    public static partial void RecordedBlockedDeliveriesNotRemembered(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Warning, Message = "Could not read the recorded blocked deliveries of message {TransactionId}, recording them all")]
    public static partial void RecordedBlockedDeliveriesNotRead(this ILogger logger, string transactionId, Exception exception);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning, Message = "Could not record transactional copies that pass an opt-out, deferring message {TransactionId}")]
    public static partial void OverriddenDeliveriesNotRecorded(this ILogger logger, string transactionId, Exception exception);
}
