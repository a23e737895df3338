namespace Suppression.Gateway.Console;

/// <summary>
/// The audit verification's log events (5300-5399, in the storage range 5000-5999), written when a
/// person runs the verification from the console or the API. The ids are a contract
/// (docs/operations.md, Log events): never reused, never renumbered.
/// </summary>
internal static partial class AuditVerificationLog
{
    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Audit chains verified by {Actor}: intact, {Records} records in {Chains} chains")]
    public static partial void AuditChainsIntact(this ILogger logger, string actor, long records, long chains);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Audit chains verified by {Actor}: BROKEN at chain {Chain} sequence {Sequence}: {Problem}")]
    public static partial void AuditChainsBroken(this ILogger logger, string actor, string? chain, long? sequence, string? problem);
}
