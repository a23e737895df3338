using System.Diagnostics;
using System.Diagnostics.Metrics;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Relay;
using Suppression.Telemetry;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// One span and one latency measurement per copy handed to the next hop, retries included; retries
/// are events on the span. Polly's own meter ("Polly") has the attempts and the circuit breaker.
/// </summary>
internal static class RelayTelemetry
{
    public const string RelaySpan = "smtp relay";

    private static readonly Meter Meter = Instrumentation.Meter;

    private static readonly Histogram<double> UpstreamDuration = Meter.CreateHistogram(
        "suppression.upstream.duration",
        "ms",
        "Time to hand one copy to the next hop, retries included, by outcome",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] });

    private static readonly Counter<long> UpstreamFailures = Meter.CreateCounter<long>(
        "suppression.upstream.failures", "{copy}", "Copies the next hop did not accept, by kind: 4xx, 5xx, connection (unreachable, timed out, circuit open) or local");

    private static readonly Counter<long> UpstreamRefusals = Meter.CreateCounter<long>(
        "suppression.upstream.refusals", "{copy}", "Copies the next hop refused for good, by what its reply blames (cause: mailbox_gone, mailbox_full, policy, ...) and whether the recipient was suppressed");

    public static Activity? Start() => Instrumentation.ActivitySource.StartActivity(RelaySpan, ActivityKind.Client);

    /// <param name="local">The copy never reached the relay: an unforeseen error here, or the client left.</param>
    public static void Relayed(Activity? activity, TimeSpan elapsed, RelayResult result, bool local)
    {
        var outcome = new KeyValuePair<string, object?>(TelemetryTags.Outcome, OutcomeName(result.Outcome));
        if (UpstreamDuration.Enabled)
        {
            UpstreamDuration.Record(elapsed.TotalMilliseconds, outcome);
        }

        var failure = result.Outcome switch
        {
            RelayOutcome.Accepted => null,
            _ when local => "local",
            _ when result.Code == 0 => "connection",
            RelayOutcome.PermanentFailure => "5xx",
            _ => "4xx",
        };
        if (failure is not null)
        {
            UpstreamFailures.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ErrorType, failure));
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.Outcome, outcome.Value);
        if (result.Code != 0)
        {
            activity.SetTag(TelemetryTags.ReplyCode, result.Code);
        }

        if (failure is not null)
        {
            activity.SetTag(TelemetryTags.ErrorType, failure).SetStatus(ActivityStatusCode.Error, failure);
        }

        activity.Dispose();
    }

    /// <summary>An event on the current relay span for each retry; the upstream's text stays out (it may name the recipient).</summary>
    public static void Retried(int attempt, Exception? exception, RelayResult? result)
    {
        if (Activity.Current is not { IsAllDataRequested: true, OperationName: RelaySpan } activity)
        {
            return;
        }

        activity.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["suppression.attempt"] = attempt,
            [TelemetryTags.ErrorType] = exception?.GetType().Name ?? (result is null ? null : $"{result.Code / 100}xx"),
        }));
    }

    public static void RefusalJudged(RefusalCause cause, bool suppressed) =>
        UpstreamRefusals.Add(
            1,
            new KeyValuePair<string, object?>("suppression.refusal.cause", CauseName(cause)),
            new KeyValuePair<string, object?>("suppression.suppressed", suppressed));

    private static string CauseName(RefusalCause cause) => cause switch
    {
        RefusalCause.MailboxGone => "mailbox_gone",
        RefusalCause.MailboxFull => "mailbox_full",
        RefusalCause.Suspended => "suspended",
        RefusalCause.Filtered => "filtered",
        RefusalCause.MailerError => "mailer_error",
        RefusalCause.SenderRejected => "sender_rejected",
        RefusalCause.Policy => "policy",
        RefusalCause.RateLimited => "rate_limited",
        RefusalCause.Content => "content",
        RefusalCause.Expired => "expired",
        RefusalCause.Routing => "routing",
        RefusalCause.Transient => "transient",
        _ => "not_understood",
    };

    private static string OutcomeName(RelayOutcome outcome) => outcome switch
    {
        RelayOutcome.Accepted => "accepted",
        RelayOutcome.PermanentFailure => "permanent_failure",
        _ => "temporary_failure",
    };
}
