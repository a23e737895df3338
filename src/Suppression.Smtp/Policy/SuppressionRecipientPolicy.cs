using Microsoft.Extensions.Logging;
using Suppression.Smtp.Telemetry;
using Suppression.Suppressions;

namespace Suppression.Smtp.Policy;

/// <summary>
/// Looks the recipient up in the suppression list: one round trip at RCPT. An entry that blocks
/// whatever the message turns out to be decides now; the rest travel with the recipient and are
/// judged after DATA, when the message's class, tenant and topic are known. Any failure to consult
/// the list is a deferral, never a delivery: an opt-out that cannot be checked is assumed to hold.
/// </summary>
public sealed class SuppressionRecipientPolicy(
    ISuppressionStore store,
    BlockedRecipientAction blockedRecipientAction,
    TimeProvider time,
    ILogger<SuppressionRecipientPolicy> logger) : IRecipientPolicy
{
    public async ValueTask<RecipientDecision> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        var span = SmtpTelemetry.StartRecipientCheck();
        IReadOnlyList<SuppressionEntry> entries = [];
        var decision = RecipientDecision.Defer;
        try
        {
            entries = (await store.GetEntriesAsync([check.Recipient], cancellationToken))[0];
            decision = Decide(entries, check.Tenant);
            return decision;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.RecipientDeferredListUnavailable(exception);
            return RecipientDecision.Defer;
        }
        finally
        {
            SmtpTelemetry.RecipientChecked(span, time.GetElapsedTime(startedAt), decision, entries.Count);
        }
    }

    private RecipientDecision Decide(IReadOnlyList<SuppressionEntry> entries, string? tenant)
    {
        var blocking = SuppressionPolicy.FindEntryBlockingAnyMessage(entries, tenant);
        if (blocking is null)
        {
            return RecipientDecision.DeliverSubjectTo(entries);
        }

        return new RecipientDecision(
            blockedRecipientAction == BlockedRecipientAction.Reject ? RecipientVerdict.Refuse : RecipientVerdict.Drop,
            blocking);
    }
}
