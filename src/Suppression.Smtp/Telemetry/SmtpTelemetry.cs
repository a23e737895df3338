using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Suppression.Smtp.Delivery.Dsn;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Suppressions;
using Suppression.Telemetry;

namespace Suppression.Smtp.Telemetry;

/// <summary>
/// The SMTP side's instruments and spans. One trace per mail transaction (MAIL to the reply to the
/// final "."), not per connection: a sender keeps a connection open for thousands of messages, and
/// a span that long would be exported only at the close, if ever. Its children are the recipient
/// checks here, the upstream copies (<see cref="RelayTelemetry"/>) and the gateway's own mailboxes
/// (<see cref="FeedbackTelemetry"/>, and the mailto unsubscribe). Tags never carry an address.
/// </summary>
internal static class SmtpTelemetry
{
    public const string TransactionSpan = "smtp transaction";
    public const string RecipientCheckSpan = "suppression check";

    public const string RelayDestination = "relay";
    public const string LocalDestination = "local";

    private static readonly Meter Meter = Instrumentation.Meter;

    private static readonly UpDownCounter<long> ActiveSessions = Meter.CreateUpDownCounter<long>(
        "suppression.smtp.active_sessions", "{session}", "SMTP sessions open now");

    private static readonly Counter<long> RejectedSessions = Meter.CreateCounter<long>(
        "suppression.smtp.sessions.rejected", "{session}", "Connections answered 421 at connect, by limit: total (Suppression:Smtp:MaxSessions), strangers (MaxStrangerSessions) or per-client (MaxSessionsPerClient)");

    private static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>(
        "suppression.smtp.messages.received", "{message}", "Messages whose DATA was read to the final '.', by destination (relay, or the gateway's own mailboxes)");

    private static readonly Counter<long> MessagesRelayed = Meter.CreateCounter<long>(
        "suppression.smtp.messages.relayed", "{message}", "Messages answered 250 once every copy was accepted upstream, or the rest refused and reported in a DSN, by class");

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

    private static readonly Counter<long> OptOutsOverridden = Meter.CreateCounter<long>(
        "suppression.smtp.recipients.overridden", "{recipient}", "Transactional copies relayed past an opt-out that stops marketing, by reason and scope kind of the entry passed");

    private static readonly Counter<long> DsnsSent = Meter.CreateCounter<long>(
        "suppression.smtp.dsn.sent", "{recipient}", "Recipients refused upstream for good while other copies were accepted, reported to the envelope sender in a DSN the upstream took, by status code");

    private static readonly Counter<long> DsnsFailed = Meter.CreateCounter<long>(
        "suppression.smtp.dsn.failed", "{message}", "DSNs for refused recipients that the upstream did not take, by outcome: deferred (the client was answered 451 and tries again) or refused (5xx: the sender cannot be reached; the client was answered 250)");

    public static void SessionOpened() => ActiveSessions.Add(1);

    public static void SessionClosed() => ActiveSessions.Add(-1);

    public static void SessionRejected(string limit) => RejectedSessions.Add(1, new KeyValuePair<string, object?>("limit", limit));

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
    public static void RecipientChecked(Activity? activity, TimeSpan elapsed, RecipientDecision decision, int entries)
    {
        var verdict = new KeyValuePair<string, object?>(TelemetryTags.Verdict, VerdictName(decision.Verdict));
        RecipientsChecked.Add(1, verdict);
        if (RecipientCheckDuration.Enabled)
        {
            RecipientCheckDuration.Record(elapsed.TotalMilliseconds, verdict);
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

    /// <summary>A transactional copy sent past <paramref name="entry"/>, which would have stopped it as marketing.</summary>
    public static void OptOutOverridden(SuppressionEntry entry) =>
        OptOutsOverridden.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryTags.Reason, entry.Reason.Name()),
            new KeyValuePair<string, object?>(TelemetryTags.ScopeKind, entry.Scope.KindName()));

    /// <summary>One recipient reported in a DSN the upstream took, with its RFC 3463 status code.</summary>
    public static void DsnSent(string status) => DsnsSent.Add(1, new KeyValuePair<string, object?>(TelemetryTags.EnhancedStatus, status));

    public static void DsnFailed(DsnHandover handover) =>
        DsnsFailed.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, handover == DsnHandover.Refused ? "refused" : "deferred"));

    private static string ClassName(MessageClass messageClass) => messageClass == MessageClass.Transactional ? "transactional" : "marketing";

    private static string VerdictName(RecipientVerdict verdict) => verdict switch
    {
        RecipientVerdict.Deliver => "deliver",
        RecipientVerdict.Drop => "drop",
        RecipientVerdict.Refuse => "refuse",
        _ => "defer",
    };
}
