using Microsoft.Extensions.Logging;
using Suppression.Suppressions;

namespace Suppression.Smtp.Policy;

/// <summary>
/// Looks the recipient up in the suppression list. Every message is treated as marketing mail
/// from no particular tenant until tenants and classes exist. Any failure to consult the list is
/// a deferral, never a delivery: an opt-out that cannot be checked is assumed to hold.
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

        var blocking = SuppressionPolicy.FindBlockingEntry(entries, MessageClass.Marketing, tenant: null, topic: null);
        if (blocking is null)
        {
            return RecipientDecision.Deliver;
        }

        return new RecipientDecision(
            blockedRecipientAction == BlockedRecipientAction.Reject ? RecipientVerdict.Refuse : RecipientVerdict.Drop,
            blocking);
    }
}
