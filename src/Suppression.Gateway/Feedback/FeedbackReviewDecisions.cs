using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Suppressions;

namespace Suppression.Gateway.Feedback;

/// <summary>
/// The two decisions a person makes about a report held for review, made the same way whether they
/// come from the API or the console, so both leave the same audit records: applying writes the
/// suppressions the report asked for (a <c>suppressed</c> record each); dismissing writes a
/// <c>dismissed</c> record for each recipient it named and suppresses nobody.
/// </summary>
public sealed class FeedbackReviewDecisions(IFeedbackReview review, ISuppressionStore store, TimeProvider time, ILogger<FeedbackReviewDecisions> logger)
{
    /// <returns>How many suppressions were written, or null when no such report is queued.</returns>
    public async Task<int?> ApplyAsync(string id, Reviewer reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        if (await review.GetAsync(id, cancellationToken) is not { } item)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var suppressed = 0;
        foreach (var recipient in item.Recipients)
        {
            // A soft bounce is shown for context; it never was a suppression on its own.
            if (!ContractNames.TryParseReason(recipient.Reason, out var reason) || !ContractNames.TryParseSource(recipient.Source, out var source)
                || !SuppressionScope.TryParse(recipient.Scope, out var scope) || !AddressNormalizer.TryNormalize(recipient.Address, out var address, out _))
            {
                continue;
            }

            var entry = new SuppressionEntry(scope, reason, source, now.ToWholeSeconds());
            suppressed += await store.AddAsync(
                address,
                entry,
                Record(reviewer, now, AuditEventType.Suppressed) with
                {
                    Scope = scope,
                    Reason = reason,
                    Source = source,
                    Tenant = scope.Tenant,
                    Evidence = $"{WithoutAddresses(recipient.Evidence, item.OriginalMessageId)}; "
                        + $"unauthenticated report from {item.ClientIp} applied from review item {item.Id}",
                    MessageId = item.OriginalMessageId,
                },
                cancellationToken) ? 1 : 0;
        }

        await review.RemoveAsync(id, cancellationToken);
        logger.ReviewItemApplied(id, reviewer.Actor, suppressed);
        return suppressed;
    }

    /// <returns>False when no such report is queued.</returns>
    public async Task<bool> DismissAsync(string id, Reviewer reviewer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        if (await review.GetAsync(id, cancellationToken) is not { } item)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var records = new List<AuditRecord>(item.Recipients.Count);
        foreach (var recipient in item.Recipients)
        {
            if (!AddressNormalizer.TryNormalize(recipient.Address, out var address, out _))
            {
                continue;
            }

            // No scope on the record: it changed no entry, and a later undo of an unsubscribe reads a
            // newer record in the same scope as a change that supersedes it. The scope it would have
            // had is in the evidence. The report's diagnostic is not: a remote server's text often
            // quotes the address, and erasure can blank the address field, never the hashed evidence.
            var status = recipient.Status is null ? string.Empty : $", status {recipient.Status}";
            records.Add(Record(reviewer, now, AuditEventType.Dismissed) with
            {
                Address = address,
                Reason = ContractNames.TryParseReason(recipient.Reason, out var reason) ? reason : null,
                Source = ContractNames.TryParseSource(recipient.Source, out var source) ? source : null,
                Tenant = SuppressionScope.TryParse(recipient.Scope, out var scope) ? scope.Tenant : null,
                Evidence = $"{recipient.Verdict} in scope {recipient.Scope}{status} not applied; "
                    + $"unauthenticated {item.Kind} report from {item.ClientIp} dismissed from review item {item.Id}",
                MessageId = item.OriginalMessageId,
            });
        }

        if (!await review.DismissAsync(id, records, cancellationToken))
        {
            return false;
        }

        logger.ReviewItemDismissed(id, reviewer.Actor, records.Count);
        return true;
    }

    // The queue keeps the report's words whole for the person deciding; the record keeps no address
    // from them (an item queued before FeedbackHandler redacted its evidence still quotes the remote
    // server's diagnostic), since erasure blanks the address field, never the hashed evidence. The
    // quoted Message-ID looks like an address but names a message, and the record carries it anyway.
    private static string WithoutAddresses(string evidence, string? messageId)
    {
        if (messageId is null)
        {
            return AddressRedaction.Redact(evidence);
        }

        var quoted = $"<{messageId}>";
        return string.Join(quoted, evidence.Split(quoted).Select(AddressRedaction.Redact));
    }

    private static AuditRecord Record(Reviewer reviewer, DateTimeOffset now, AuditEventType type) =>
        new(now, type, reviewer.Actor) { ClientAddress = reviewer.ClientAddress, UserAgent = reviewer.UserAgent };
}
