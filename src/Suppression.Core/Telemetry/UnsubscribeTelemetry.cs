using System.Diagnostics;
using System.Diagnostics.Metrics;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Telemetry;

/// <summary>
/// Unsubscribe requests, whichever way they arrive (POST /u/{token}, its widen and undo buttons, mail
/// to the unsubscribe address): one counter by action, source and outcome, and one span per request
/// that names the token's tenant and scope kind, never its recipient.
/// </summary>
public static class UnsubscribeTelemetry
{
    public const string Unsubscribe = "unsubscribe";
    public const string Widen = "widen";
    public const string Undo = "undo";
    public const string Preferences = "preferences";

    public const string Recorded = "recorded";
    public const string AlreadyPresent = "already_present";
    public const string TokenExpired = "token_expired";
    public const string TokenInvalid = "token_invalid";
    public const string NotUnderstood = "not_understood";
    public const string CannotWiden = "cannot_widen";
    public const string Unavailable = "unavailable";

    /// <summary>The source of a request whose form said neither one-click nor page.</summary>
    public const string UnknownSource = "unknown";

    private static readonly Counter<long> Requests = Instrumentation.Meter.CreateCounter<long>(
        "suppression.unsubscribe.requests", "{request}", "Unsubscribe requests by action (unsubscribe, widen, undo, preferences), source and outcome");

    private static readonly Counter<long> Limited = Instrumentation.Meter.CreateCounter<long>(
        "suppression.unsubscribe.limited", "{request}", "Unsubscribe page requests refused with 429, by whether their link was valid (limited per link and recipient) or not (per client address)");

    /// <summary>Counts a 429: a valid link refused means a provider retrying hard, or someone replaying a captured link.</summary>
    public static void CountLimited(bool validLink) =>
        Limited.Add(1, new KeyValuePair<string, object?>("link", validLink ? "valid" : "invalid"));

    public static Activity? Start(string action, string source)
    {
        var activity = Instrumentation.ActivitySource.StartActivity("unsubscribe");
        activity?.SetTag(TelemetryTags.Action, action).SetTag(TelemetryTags.Source, source);
        return activity;
    }

    public static string OutcomeOf(TokenRejection rejection) => rejection == TokenRejection.Expired ? TokenExpired : TokenInvalid;

    public static string OutcomeOf(UndoOutcome outcome) => outcome switch
    {
        UndoOutcome.Undone => "undone",
        UndoOutcome.WindowPassed => "window_passed",
        UndoOutcome.Superseded => "superseded",
        _ => "nothing_to_undo",
    };

    /// <summary>What the span may say about a valid token: its tenant (a configured sender) and scope kind.</summary>
    public static void DescribeToken(Activity? activity, UnsubscribeToken token)
    {
        if (activity is null || token is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.Tenant, token.Tenant);
        if (UnsubscribeActions.TryGetScope(token, out var scope))
        {
            activity.SetTag(TelemetryTags.ScopeKind, scope.KindName());
        }
    }

    public static void SetSource(Activity? activity, string source) => activity?.SetTag(TelemetryTags.Source, source);

    /// <summary>Counts the request and closes its span; an unavailable store marks the span as an error.</summary>
    public static void Complete(Activity? activity, string action, string source, string outcome)
    {
        Requests.Add(
            1,
            new KeyValuePair<string, object?>(TelemetryTags.Action, action),
            new KeyValuePair<string, object?>(TelemetryTags.Source, source),
            new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.Source, source).SetTag(TelemetryTags.Outcome, outcome);
        if (outcome == Unavailable)
        {
            activity.SetStatus(ActivityStatusCode.Error, "suppression list unavailable");
        }

        activity.Dispose();
    }
}
