using Microsoft.Extensions.Logging;
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
    ILogger<SuppressionRecipientPolicy> logger) : IRecipientPolicy
{
    public async ValueTask<RecipientDecision> CheckAsync(RecipientCheck check, CancellationToken cancellationToken)
    {
        IReadOnlyList<SuppressionEntry> entries;
        try
        {
            entries = (await store.GetEntriesAsync([check.Recipient], cancellationToken))[0];
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Suppression list unavailable, deferring recipient: {Error}", exception.Message);
            return RecipientDecision.Defer;
        }

        var blocking = SuppressionPolicy.FindEntryBlockingAnyMessage(entries, check.Tenant);
        if (blocking is null)
        {
            return RecipientDecision.DeliverSubjectTo(entries);
        }

        return new RecipientDecision(
            blockedRecipientAction == BlockedRecipientAction.Reject ? RecipientVerdict.Refuse : RecipientVerdict.Drop,
            blocking);
    }
}
