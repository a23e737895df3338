namespace Suppression.Gateway.BatchCheck;

/// <summary>The batch check's log events, in the admin API's range (docs/operations.md, Log events): 6120-6129.</summary>
internal static partial class BatchCheckLog
{
    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "Batch check stopped after {Answered} answers, ended with an incomplete record ({Status})")]
    public static partial void BatchCheckStopped(this ILogger logger, long answered, int status, Exception exception);
}
