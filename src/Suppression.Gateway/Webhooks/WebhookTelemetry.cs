using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Suppression.Telemetry;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// The deliveries' counters, tagged by endpoint id (a handful, from configuration), and each
/// endpoint's backlog and oldest undelivered event as gauges. The gauges read the state the delivery
/// last fetched (<see cref="Observe"/>), so a scrape never waits on the store.
/// </summary>
public static class WebhookTelemetry
{
    private const string EndpointTag = "suppression.webhook.endpoint";

    private static readonly Counter<long> Delivered = Instrumentation.Meter.CreateCounter<long>(
        "suppression.webhooks.delivered", "{event}", "Events a receiver took (2xx), by endpoint");

    private static readonly Counter<long> Retried = Instrumentation.Meter.CreateCounter<long>(
        "suppression.webhooks.retried", "{event}", "Failed attempts scheduled to be tried again, by endpoint");

    private static readonly Counter<long> DeadLettered = Instrumentation.Meter.CreateCounter<long>(
        "suppression.webhooks.dead_lettered", "{event}", "Events whose last attempt failed, moved to the endpoint's dead-letter list");

    private static readonly Counter<long> Failures = Instrumentation.Meter.CreateCounter<long>(
        "suppression.webhooks.failures", "{attempt}", "Failed attempts by endpoint and outcome (status, timeout, connection, gone)");

    private static readonly ConcurrentDictionary<string, (WebhookEndpointState State, DateTimeOffset At)> States = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> Backlog = Instrumentation.Meter.CreateObservableGauge(
        "suppression.webhooks.backlog", () => States.Select(pair => new Measurement<long>(pair.Value.State.Backlog, Tag(pair.Key))), "{event}",
        "Events waiting for delivery, by endpoint");

    private static readonly ObservableGauge<double> OldestAge = Instrumentation.Meter.CreateObservableGauge(
        "suppression.webhooks.oldest_undelivered_age",
        () => States.Select(pair => new Measurement<double>(
            pair.Value.State.OldestUndelivered is { } oldest ? Math.Max(0, (pair.Value.At - oldest).TotalSeconds) : 0, Tag(pair.Key))),
        "s",
        "Age of the oldest undelivered event, by endpoint, as of the delivery's last look");

    public static void CountDelivered(string endpointId, int count = 1) => Delivered.Add(count, Tag(endpointId));

    public static void CountRetried(string endpointId) => Retried.Add(1, Tag(endpointId));

    public static void CountDeadLettered(string endpointId) => DeadLettered.Add(1, Tag(endpointId));

    public static void CountFailure(string endpointId, string outcome) =>
        Failures.Add(1, Tag(endpointId), new KeyValuePair<string, object?>("suppression.webhook.outcome", outcome));

    /// <summary>The state the gauges report for the endpoint, as of <paramref name="at"/>.</summary>
    public static void Observe(WebhookEndpointState state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        GC.KeepAlive(Backlog);
        GC.KeepAlive(OldestAge);
        States[state.EndpointId] = (state, at);
    }

    private static KeyValuePair<string, object?> Tag(string endpointId) => new(EndpointTag, endpointId);
}
