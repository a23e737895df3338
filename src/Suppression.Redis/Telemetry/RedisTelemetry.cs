using System.Diagnostics.Metrics;
using StackExchange.Redis;
using Suppression.Audit;
using Suppression.Suppressions;
using Suppression.Telemetry;

namespace Suppression.Redis.Telemetry;

/// <summary>
/// Redis errors where the gateway depends on Redis most (the recipient lookup, every audited write,
/// the connection itself) and the audit records written. Counted where they happen, with exception
/// filters that never catch, so the callers' error handling is unchanged.
/// </summary>
internal static class RedisTelemetry
{
    public const string Lookup = "lookup";
    public const string AuditAppend = "audit_append";
    public const string Connection = "connection";

    private static readonly Counter<long> Errors = Instrumentation.Meter.CreateCounter<long>(
        "suppression.redis.errors", "{error}", "Redis errors by operation (lookup, audit_append, connection) and error type");

    private static readonly Counter<long> AuditRecords = Instrumentation.Meter.CreateCounter<long>(
        "suppression.audit.records", "{record}", "Audit records appended to the chains, by event type");

    private static readonly Counter<long> WebhooksQueued = Instrumentation.Meter.CreateCounter<long>(
        "suppression.webhooks.queued", "{event}", "Events queued for delivery (new to the endpoint's backlog; a replay's or a re-run's repeats not counted), by endpoint");

    /// <summary>Events newly queued for an endpoint by the fan-out or a replay.</summary>
    public static void CountWebhooksQueued(string endpointId, long count)
    {
        if (count > 0)
        {
            WebhooksQueued.Add(count, new KeyValuePair<string, object?>("suppression.webhook.endpoint", endpointId));
        }
    }

    /// <summary>
    /// For an exception filter: counts a Redis failure (translated by the pipeline, so tagged with
    /// its cause's type) and returns false, so nothing is caught.
    /// </summary>
    public static bool CountError(string operation, Exception exception)
    {
        if (exception is SuppressionStoreUnavailableException { InnerException: { } cause })
        {
            Errors.Add(
                1,
                new KeyValuePair<string, object?>("suppression.redis.operation", operation),
                new KeyValuePair<string, object?>(TelemetryTags.ErrorType, cause.GetType().Name));
        }

        return false;
    }

    public static void ConnectionFailed(object? sender, ConnectionFailedEventArgs args) =>
        Errors.Add(
            1,
            new KeyValuePair<string, object?>("suppression.redis.operation", Connection),
            new KeyValuePair<string, object?>(TelemetryTags.ErrorType, args.FailureType.ToString()));

    public static void AuditRecordWritten(AuditRecord record) =>
        AuditRecords.Add(1, new KeyValuePair<string, object?>("suppression.audit.event", record.Type.Name()));
}
