namespace Suppression.Feedback;

/// <summary>
/// What an unauthenticated report would have done to one recipient: <see cref="Reason"/> and
/// <see cref="Source"/> are contract names (<c>hard_bounce</c>, <c>dsn</c>, ...), <see cref="Scope"/>
/// the scope it would have been suppressed in; <see cref="Verdict"/> is <c>hard-bounce</c>,
/// <c>complaint</c> or <c>soft-bounce</c> (a soft bounce is shown, never applied).
/// </summary>
public sealed record ReviewedRecipient(
    string Address,
    string Verdict,
    string Scope,
    string? Reason,
    string? Source,
    string? Status,
    string? Diagnostic,
    string Evidence);
