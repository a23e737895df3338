using Microsoft.AspNetCore.Http.HttpResults;
using Suppression.Import;
using Suppression.Suppressions;

namespace Suppression.Gateway.Suppressions;

/// <summary>
/// The query parameters of <c>POST /api/v1/suppressions/import</c>: <c>scope</c> (default
/// <c>global</c>), <c>reason</c> (for lists whose rows give none; default <c>manual</c>) and
/// <c>evidence</c> (kept in the batch's audit record; required for a manual list). Whether a
/// reason fits the file is known only once its header is read (<see cref="ImportOptions"/>).
/// </summary>
internal static class ImportParameters
{
    /// <returns>Null when the parameters are readable, else the 400 to send.</returns>
    public static ProblemHttpResult? TryRead(string? scope, string? reason, string? evidence, out ImportOptions options)
    {
        options = ImportOptions.ForScope(SuppressionScope.Global);
        var parsedScope = SuppressionScope.Global;
        if (scope is not null && !SuppressionScope.TryParse(scope, out parsedScope))
        {
            return Problem("scope", "Use global, tenant:<id> or topic:<tenant>/<topic>.");
        }

        SuppressionReason? parsedReason = null;
        if (reason is not null)
        {
            if (!ContractNames.TryParseReason(reason, out var named) || !ImportOptions.IsReasonACallerMayGive(named))
            {
                var allowed = ContractNames.AllReasonNames.Where(name => ContractNames.TryParseReason(name, out var value) && ImportOptions.IsReasonACallerMayGive(value));
                return Problem("reason", $"Use one of: {string.Join(", ", allowed)} (erasure entries come only from POST /api/v1/erasures).");
            }

            parsedReason = named;
        }

        options = new ImportOptions(parsedScope, parsedReason, string.IsNullOrWhiteSpace(evidence) ? null : evidence.Trim());
        return null;
    }

    public static ProblemHttpResult Problem(string parameter, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {parameter}", detail: detail);

    /// <summary>The batch record's evidence: the caller's, and a note when the import stopped half-way.</summary>
    public static string? Evidence(string? callerEvidence, Exception? failure)
    {
        var incomplete = failure is null ? null : "incomplete: the import stopped after the counted rows (" + failure.GetType().Name + ")";
        return (callerEvidence, incomplete) switch
        {
            (null, _) => incomplete,
            (_, null) => callerEvidence,
            _ => callerEvidence + "; " + incomplete,
        };
    }
}
