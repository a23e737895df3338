using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;
using Suppression.Suppressions;
using Suppression.Telemetry;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// The SMTP side's instruments and spans. One trace per mail transaction (MAIL to the reply to the
/// final "."), not per connection: a sender keeps a connection open for thousands of messages, and
/// a span that long would be exported only at the close, if ever. Its children are the recipient
/// checks and the upstream copies. Tags never carry an address.
/// </summary>
internal static class SmtpTelemetry
{
    public const string TransactionSpan = "smtp transaction";
    public const string RecipientCheckSpan = "suppression check";
    public const string RelaySpan = "smtp relay";
    public const string FeedbackSpan = "feedback report";

    public const string RelayDestination = "relay";
    public const string LocalDestination = "local";

    private static readonly Meter Meter = Instrumentation.Meter;

    private static readonly UpDownCounter<long> ActiveSessions = Meter.CreateUpDownCounter<long>(
        "suppression.smtp.active_sessions", "{session}", "SMTP sessions open now");

    private static readonly Counter<long> RejectedSessions = Meter.CreateCounter<long>(
        "suppression.smtp.sessions.rejected", "{session}", "Connections answered 421 because Suppression:Smtp:MaxSessions sessions were open");

    private static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>(
        "suppression.smtp.messages.received", "{message}", "Messages whose DATA was read to the final '.', by destination (relay, or the gateway's own mailboxes)");

    private static readonly Counter<long> MessagesRelayed = Meter.CreateCounter<long>(
        "suppression.smtp.messages.relayed", "{message}", "Messages answered 250 after every copy was accepted upstream, by class");

    private static readonly Counter<long> MessagesDropped = Meter.CreateCounter<long>(
        "suppression.smtp.messages.dropped", "{message}", "Messages answered 250 whose recipients were all suppressed: nothing relayed");

    private static readonly Counter<long> MessagesFailed = Meter.CreateCounter<long>(
        "suppression.smtp.messages.failed", "{message}", "Messages whose final '.' was answered 4xx or 5xx, by reply code");

    private static readonly Counter<long> RecipientsChecked = Meter.CreateCounter<long>(
        "suppression.smtp.recipients.checked", "{recipient}", "RCPT suppression lookups, by verdict (deliver, drop, refuse, defer)");

    private static readonly Histogram<double> RecipientCheckDuration = Meter.CreateHistogram(
        "suppression.smtp.recipient_check.duration",
        "ms",
        "Time to look one recipient up in the suppression list",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });

    private static readonly Counter<long> RecipientsBlocked = Meter.CreateCounter<long>(
        "suppression.smtp.recipients.blocked", "{recipient}", "Recipients not relayed because they are suppressed, by reason, scope kind and action (drop, refuse)");

    private static readonly Histogram<double> UpstreamDuration = Meter.CreateHistogram(
        "suppression.upstream.duration",
        "ms",
        "Time to hand one copy to the next hop, retries included, by outcome",
        tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] });

    private static readonly Counter<long> UpstreamFailures = Meter.CreateCounter<long>(
        "suppression.upstream.failures", "{copy}", "Copies the next hop did not accept, by kind: 4xx, 5xx, connection (unreachable, timed out, circuit open) or local");

    private static readonly Counter<long> FeedbackReports = Meter.CreateCounter<long>(
        "suppression.feedback.reports", "{report}", "Mail to the feedback addresses, by kind (dsn, arf, unrecognized, malformed) and outcome");

    public static void SessionOpened() => ActiveSessions.Add(1);

    public static void SessionClosed() => ActiveSessions.Add(-1);

    public static void SessionRejected() => RejectedSessions.Add(1);

    /// <summary>Starts the transaction's span as the root of a new trace; null when nobody listens.</summary>
    public static Activity? StartTransaction(string transactionId, IPAddress client, bool secure, bool authenticated, string? tenant)
    {
        // A transaction is never part of whatever was current when its MAIL arrived.
        Activity.Current = null;
        var activity = Instrumentation.ActivitySource.StartActivity(TransactionSpan, ActivityKind.Server);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.TransactionId, transactionId)
                .SetTag("client.address", client.ToString())
                .SetTag("suppression.smtp.tls", secure)
                .SetTag("suppression.smtp.authenticated", authenticated)
                .SetTag(TelemetryTags.Tenant, tenant);
        }

        return activity;
    }

    public static void MessageReceived(bool local) =>
        MessagesReceived.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Destination, local ? LocalDestination : RelayDestination));

    /// <summary>The reply to the final "." of a transaction: counted when negative, and the transaction span says it.</summary>
    public static void MessageAnswered(Activity? transaction, SmtpReply reply)
    {
        if (reply.Code >= 400)
        {
            MessagesFailed.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ReplyCode, reply.Code));
        }

        if (transaction is null)
        {
            return;
        }

        transaction.SetTag(TelemetryTags.ReplyCode, reply.Code);
        if (reply.Code >= 400)
        {
            transaction.SetStatus(ActivityStatusCode.Error, reply.Code >= 500 ? "refused" : "deferred");
        }
    }

    /// <summary>What the transaction became once its message was classified; only counts, class and tenant.</summary>
    public static void MessageClassified(Activity? transaction, MessageClass messageClass, string? tenant, int recipients, int dropped)
    {
        if (transaction is null)
        {
            return;
        }

        transaction.SetTag(TelemetryTags.MessageClass, ClassName(messageClass))
            .SetTag(TelemetryTags.Tenant, tenant)
            .SetTag("suppression.recipients.relayed", recipients)
            .SetTag("suppression.recipients.dropped", dropped);
    }

    public static void MessageRelayed(MessageClass messageClass) =>
        MessagesRelayed.Add(1, new KeyValuePair<string, object?>(TelemetryTags.MessageClass, ClassName(messageClass)));

    public static void MessageDropped(MessageClass messageClass) =>
        MessagesDropped.Add(1, new KeyValuePair<string, object?>(TelemetryTags.MessageClass, ClassName(messageClass)));

    /// <summary>Ends the transaction's span; one that never got to its final "." says it was abandoned.</summary>
    public static void EndTransaction(Activity? transaction)
    {
        if (transaction is null)
        {
            return;
        }

        if (transaction.GetTagItem(TelemetryTags.ReplyCode) is null)
        {
            transaction.SetTag(TelemetryTags.Outcome, "abandoned");
        }

        transaction.Dispose();
    }

    public static Activity? StartRecipientCheck() => Instrumentation.ActivitySource.StartActivity(RecipientCheckSpan);

    /// <summary>The check's latency and verdict; what the span says about a blocking entry is its reason and scope kind.</summary>
    public static void RecipientChecked(Activity? activity, long startedAt, RecipientDecision decision, int entries)
    {
        var verdict = new KeyValuePair<string, object?>(TelemetryTags.Verdict, VerdictName(decision.Verdict));
        RecipientsChecked.Add(1, verdict);
        if (RecipientCheckDuration.Enabled)
        {
            RecipientCheckDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, verdict);
        }

        if (decision.Entry is { } entry && decision.Verdict is RecipientVerdict.Drop or RecipientVerdict.Refuse)
        {
            RecipientBlocked(entry, decision.Verdict == RecipientVerdict.Refuse);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.Verdict, verdict.Value).SetTag("suppression.entries", entries);
        if (decision.Entry is { } blocking)
        {
            activity.SetTag(TelemetryTags.Reason, blocking.Reason.Name()).SetTag(TelemetryTags.ScopeKind, blocking.Scope.KindName());
        }

        if (decision.Verdict == RecipientVerdict.Defer)
        {
            activity.SetStatus(ActivityStatusCode.Error, "suppression list unavailable");
        }

        activity.Dispose();
    }

    /// <summary>A recipient not relayed because of <paramref name="entry"/>: at RCPT, or once the message's class was known.</summary>
    public static void RecipientBlocked(SuppressionEntry entry, bool refused) =>
        RecipientsBlocked.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryTags.Reason, entry.Reason.Name()),
            new KeyValuePair<string, object?>(TelemetryTags.ScopeKind, entry.Scope.KindName()),
            new KeyValuePair<string, object?>(TelemetryTags.Action, refused ? "refuse" : "drop"));

    public static Activity? StartRelay() => Instrumentation.ActivitySource.StartActivity(RelaySpan, ActivityKind.Client);

    /// <param name="local">The copy never reached the relay: an unforeseen error here, or the client left.</param>
    public static void Relayed(Activity? activity, long startedAt, RelayResult result, bool local)
    {
        var outcome = new KeyValuePair<string, object?>(TelemetryTags.Outcome, OutcomeName(result.Outcome));
        if (UpstreamDuration.Enabled)
        {
            UpstreamDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds, outcome);
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
    public static void RelayRetried(int attempt, Exception? exception, RelayResult? result)
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

    public static Activity? StartFeedback() => Instrumentation.ActivitySource.StartActivity(FeedbackSpan);

    public static void FeedbackHandled(Activity? activity, FeedbackKind kind, string outcome, int recipients, int suppressed)
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

    private static string ClassName(MessageClass messageClass) => messageClass == MessageClass.Transactional ? "transactional" : "marketing";

    private static string VerdictName(RecipientVerdict verdict) => verdict switch
    {
        RecipientVerdict.Deliver => "deliver",
        RecipientVerdict.Drop => "drop",
        RecipientVerdict.Refuse => "refuse",
        _ => "defer",
    };

    private static string OutcomeName(RelayOutcome outcome) => outcome switch
    {
        RelayOutcome.Accepted => "accepted",
        RelayOutcome.PermanentFailure => "permanent_failure",
        _ => "temporary_failure",
    };
}
