namespace Suppression.Telemetry;

/// <summary>
/// Attribute names on metrics and spans. Metric tags are low-cardinality (a reason, a scope kind,
/// a reply code); a tenant id or a transaction id appears on spans only.
/// </summary>
public static class TelemetryTags
{
    public const string Reason = "suppression.reason";
    public const string ScopeKind = "suppression.scope.kind";
    public const string Tenant = "suppression.tenant";
    public const string Source = "suppression.source";
    public const string Outcome = "suppression.outcome";
    public const string Action = "suppression.action";
    public const string Verdict = "suppression.verdict";
    public const string MessageClass = "suppression.message.class";
    public const string Destination = "suppression.destination";
    public const string ReplyCode = "suppression.smtp.reply_code";
    public const string EnhancedStatus = "suppression.smtp.enhanced_status";
    public const string TransactionId = "suppression.smtp.transaction_id";
    public const string ErrorType = "error.type";

    /// <summary>The contract spelling of a scope's kind: <c>global</c>, <c>tenant</c> or <c>topic</c>.</summary>
    public static string KindName(this Suppressions.SuppressionScope scope) => scope.Kind switch
    {
        Suppressions.ScopeKind.Tenant => "tenant",
        Suppressions.ScopeKind.Topic => "topic",
        _ => "global",
    };
}
