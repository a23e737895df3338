using Suppression.Addresses;
using Suppression.Suppressions;

namespace Suppression.Audit;

/// <summary>
/// One consent event, as a compliance officer needs it: who, what scope, why, through which
/// channel, when, from where, and whether it changed the list (a repeated click is recorded too,
/// but changes nothing).
/// </summary>
/// <param name="Tenant">The tenant the unsubscribe link was issued for, if any.</param>
/// <param name="Topic">The topic (list) the unsubscribe link was issued for, if any.</param>
/// <param name="ClientAddress">The IP address the request came from (HTTP client or SMTP client).</param>
/// <param name="UserAgent">The HTTP User-Agent; for mail, null.</param>
/// <param name="Evidence">Free text a person can read: what the request was (e.g. "undo on the confirmation page").</param>
public sealed record AuditRecord(
    DateTimeOffset Time,
    AuditAction Action,
    NormalizedAddress Address,
    SuppressionScope Scope,
    SuppressionReason Reason,
    SuppressionSource Source,
    bool Changed,
    string? Tenant,
    string? Topic,
    string? ClientAddress,
    string? UserAgent,
    string? Evidence);
