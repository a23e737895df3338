using System.Diagnostics;
using System.Diagnostics.Metrics;
using Suppression.Smtp.Feedback;
using Suppression.Telemetry;

namespace Suppression.Smtp.Telemetry;

/// <summary>Mail to the feedback addresses: a span under its transaction and a count by report kind and outcome.</summary>
internal static class FeedbackTelemetry
{
    public const string FeedbackSpan = "feedback report";

    private static readonly Counter<long> FeedbackReports = Instrumentation.Meter.CreateCounter<long>(
        "suppression.feedback.reports", "{report}", "Mail to the feedback addresses, by kind (dsn, arf, unrecognized, malformed) and outcome (processed, kept, not-kept: over its source's share, deferred)");

    public static Activity? Start() => Instrumentation.ActivitySource.StartActivity(FeedbackSpan);

    public static void Handled(Activity? activity, FeedbackKind kind, string outcome, int recipients, int suppressed)
    {
        var kindName = kind switch
        {
            FeedbackKind.DeliveryStatus => "dsn",
            FeedbackKind.Complaint => "arf",
            FeedbackKind.Malformed => "malformed",
            _ => "unrecognized",
        };
        FeedbackReports.Add(
            1,
            new KeyValuePair<string, object?>("suppression.feedback.kind", kindName),
            new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        if (activity is null)
        {
            return;
        }

        activity.SetTag("suppression.feedback.kind", kindName)
            .SetTag(TelemetryTags.Outcome, outcome)
            .SetTag("suppression.recipients", recipients)
            .SetTag("suppression.suppressions.written", suppressed);
        if (outcome == "deferred")
        {
            activity.SetStatus(ActivityStatusCode.Error, "could not record the report");
        }

        activity.Dispose();
    }
}
