using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Suppression.Gateway.Suppressions;

// [Description] and [Required] are read by the OpenAPI document (/openapi/v1.json): what a client generator shows.

public sealed record AddSuppressionRequest(
    [property: Required, Description("The address to suppress; normalised as the SMTP path does (case of the domain, Unicode).")] string? Address = null,
    [property: Description("global (the default), tenant:<id> or topic:<tenant>/<topic>.")] string? Scope = null,
    [property: Description("unsubscribe, complaint, hard-bounce, manual (the default), import or erasure: what it blocks depends on it (unsubscribe and complaint block marketing mail only).")] string? Reason = null,
    [property: Description("Why: kept as the audit record's evidence.")] string? Note = null);

/// <param name="Address">Only for DELETE /api/v1/suppressions (no address in the path).</param>
public sealed record RemoveSuppressionRequest(
    [property: Required, Description("The person's renewed consent: how and when it was given. Required; kept in the audit record.")] string? Evidence = null,
    [property: Description("The address, for DELETE /api/v1/suppressions only (none in the path or query).")] string? Address = null);

public sealed record SuppressionEntryResponse(
    [property: Description("global, tenant:<id> or topic:<tenant>/<topic>.")] string Scope,
    string Reason,
    [property: Description("Where it came from: one-click, mailto, page, preferences, api, import, dsn, arf, relay, provider-event, ...")] string Source,
    DateTimeOffset CreatedAt);

public sealed record SuppressionResponse(string Address, IReadOnlyList<SuppressionEntryResponse> Entries);

/// <param name="Removed">How many entries were removed.</param>
public sealed record RemovalResponse(string Address, int Removed);
