using Suppression.Suppressions;

namespace Suppression.Import;

/// <summary>
/// What the uploader says about a file: the scope of its rows (our own export keeps its own), the
/// reason for files whose rows give none (a plain address list), and the evidence the batch's
/// audit record keeps.
/// </summary>
/// <param name="Reason">For formats whose rows give no reason; null means <c>manual</c>. Refused for formats that give their own.</param>
/// <param name="Evidence">Why the list may be suppressed (a ticket, who asked); required when the reason is <c>manual</c>.</param>
public sealed record ImportOptions(SuppressionScope Scope, SuppressionReason? Reason = null, string? Evidence = null)
{
    public static ImportOptions ForScope(SuppressionScope scope) => new(scope);

    /// <summary>Reasons a caller may give a list: erasure entries come only from an erasure.</summary>
    public static bool IsReasonACallerMayGive(SuppressionReason reason) => reason != SuppressionReason.Erasure;

    /// <summary>The reason of every row of a format whose rows give none.</summary>
    public SuppressionReason ReasonForUnexplainedRows => Reason ?? SuppressionReason.Manual;

    /// <exception cref="ImportOptionsException">The options do not fit the detected format.</exception>
    internal void CheckFits(ImportFormat format)
    {
        if (!format.TakesReasonFromCaller())
        {
            if (Reason is { } reason)
            {
                throw new ImportOptionsException(
                    "reason",
                    $"The rows of this {format.Name()} file say why each address is listed; ?reason={reason.Name()} applies only to lists without reasons (address-list, brevo-contacts). Leave it out.");
            }

            return;
        }

        if (ReasonForUnexplainedRows == SuppressionReason.Manual && string.IsNullOrWhiteSpace(Evidence))
        {
            throw new ImportOptionsException(
                "evidence",
                $"The rows of this {format.Name()} file do not say why each address is listed, so they are imported with the reason 'manual' (the default), "
                + "which needs ?evidence= saying why (who asked, a ticket). Or give the reason the list has: ?reason=unsubscribe, complaint, hard-bounce or import (marketing only).");
        }
    }
}
