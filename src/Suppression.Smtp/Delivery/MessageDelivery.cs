using Microsoft.Extensions.Logging;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Smtp.Delivery.Dsn;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Feedback.Providers;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Telemetry;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// What happens after the client's final ".": record the dropped recipients, then relay one copy per
/// recipient, each with its own unsubscribe link. The reply is only positive once the next hop has
/// every copy, or has the rest refused for good and a DSN for them (docs/design.md, delivery semantics):
/// the client keeps responsibility for the message until then.
/// </summary>
public sealed class MessageDelivery(
    IMessageRelay relay,
    IBlockedDeliveryLog blockedDeliveryLog,
    BlockedDeliveryRecorder blockedDeliveries,
    IAcceptedCopies acceptedCopies,
    RecipientCopyWriter copyWriter,
    RefusalNotifier notifier,
    TimeProvider time,
    ILogger<MessageDelivery> logger,
    TenantDirectory? tenants = null,
    FirstHandBounces? bounces = null,
    RelayedCopies? relayedCopies = null)
{
    private static readonly RelayResult LocalFailure = new(RelayOutcome.TemporaryFailure, 451, "local problem");

    internal async Task<SmtpReply> DeliverAsync(MailTransaction transaction, MessageSpool spool, SessionInfo session, CancellationToken cancellationToken)
    {
        // Only the header block is read: the body is relayed as the client's bytes and never parsed here.
        var client = ClientMessage.Read(spool);
        if (client.FormatProblem is { } problem)
        {
            return new SmtpReply(554, "5.6.0", $"Message is not in Internet Message Format (RFC 5322): {problem}");
        }

        var message = client.Headers;
        if (!MessageClassifier.TryClassify(message, session.Tenant, tenants ?? TenantDirectory.None, out var context, out var refusal))
        {
            return refusal;
        }

        MessageClassifier.RemoveInstructions(message);
        DropRecipientsThatOptedOut(transaction, context);

        var now = time.GetUtcNow();
        var dropped = transaction.DroppedRecipients.Count;
        SmtpTelemetry.MessageClassified(transaction.Span, context.Class, context.Tenant, transaction.Recipients.Count, dropped);

        // The message across the client's retries (Message-ID, else its bytes): which copies were
        // accepted, and which blocked deliveries are on record.
        var messageKey = transaction.Recipients.Count > 1 || dropped > 0
            ? await IAcceptedCopies.DeriveMessageKeyAsync(message.MessageId, spool.OpenRead(), cancellationToken)
            : null;
        if (dropped > 0 && messageKey is not null)
        {
            var records = BlockedDeliveryRecords.ForDropped(session.ClientAddress, transaction, message.MessageId, context.Tenant, now);
            transaction.ForgetRecordedDrops();
            if (!await blockedDeliveries.RecordOnceAsync(records, messageKey, transaction.Id, cancellationToken))
            {
                return new SmtpReply(451, "4.3.0", "Temporary failure recording the message, try again later");
            }
        }

        if (transaction.Recipients.Count == 0)
        {
            // Addresses stay out of the log; the blocked-delivery record has them.
            logger.AllRecipientsSuppressed(transaction.Id, dropped);
            SmtpTelemetry.MessageDropped(context.Class);
            return new SmtpReply(250, "2.0.0", "OK: accepted as " + transaction.Id);
        }

        // A single copy cannot partly fail, so only a message with several recipients needs the accepted copies.
        var copiesKey = transaction.Recipients.Count > 1 ? messageKey : null;
        var pending = await PendingRecipientsAsync(transaction, copiesKey, cancellationToken);
        if (!await RecordOverriddenOptOutsAsync(pending, transaction, session, context, message.MessageId, now, cancellationToken))
        {
            return new SmtpReply(451, "4.3.0", "Temporary failure recording the message, try again later");
        }

        var copies = copyWriter.Begin(client, transaction, session, context, now);
        var outcomes = new CopyOutcomes();
        foreach (var recipient in pending)
        {
            outcomes.Add(recipient, await RelayCopyAsync(copies.PrepareFor(recipient), copies.EnvelopeSenderFor(recipient), transaction, recipient, cancellationToken));
        }

        var skipped = transaction.Recipients.Count - pending.Count;
        var reply = await ReplyForAsync(outcomes, skipped, transaction, spool, session, now, cancellationToken);
        if (bounces is not null && outcomes.Refused.Count > 0 && reply.Code is < 400 or >= 500)
        {
            // Only once the client has a final answer: after a 451 it sends the message again, and the
            // upstream's refusal is read then; a recipient suppressed now would be dropped from the
            // retry without the DSN the sender is owed.
            await bounces.RecordAsync(outcomes.Refused, session.ClientAddress.ToString(), message.MessageId, context.Tenant, now, cancellationToken);
        }

        if (reply.Code >= 400 && outcomes.Accepted.Count > 0 && copiesKey is not null)
        {
            // Only a failure needs remembering: after a 250 the client does not send the message again.
            await RememberAcceptedAsync(copiesKey, outcomes.Accepted, transaction.Id, cancellationToken);
        }

        if (relayedCopies is { Kept: true } && outcomes.Accepted.Count > 0)
        {
            await RememberRelayedAsync(relayedCopies, message.MessageId, outcomes.Accepted, transaction.Id, cancellationToken);
        }

        // The upstream's words may name the recipient ("<bob@example.com>: Recipient address rejected").
        var failure = outcomes.Deferral ?? outcomes.Refused.FirstOrDefault()?.Result;
        logger.MessageRelayed(
            transaction.Id, outcomes.Accepted.Count, pending.Count, outcomes.Refused.Count, skipped, dropped, reply.Code,
            failure is null ? string.Empty : $"; first failure {failure.Outcome} {AddressRedaction.Redact(failure.Text)}");
        if (reply.Code < 300)
        {
            SmtpTelemetry.MessageRelayed(context.Class);
        }

        return reply;
    }

    // Per-recipient outcomes without false bounces: a 5xx tells the client that no recipient got the
    // message, and its bounce would then name recipients who did. So a copy refused for good while
    // others were accepted (in this attempt or an earlier one) is reported by the gateway itself, as
    // the MTA that took responsibility for it (RFC 5321 6.1), and the client hears 250. A temporary
    // failure anywhere defers the whole message first: the retry may yet deliver that copy.
    private async Task<SmtpReply> ReplyForAsync(
        CopyOutcomes outcomes, int acceptedEarlier, MailTransaction transaction, MessageSpool spool, SessionInfo session, DateTimeOffset arrival, CancellationToken cancellationToken)
    {
        if (outcomes.Deferral is { } deferral)
        {
            return ToClientReply(deferral);
        }

        if (outcomes.Refused.Count == 0)
        {
            return Accepted(transaction);
        }

        if (outcomes.Accepted.Count == 0 && acceptedEarlier == 0)
        {
            return ToClientReply(outcomes.Refused[0].Result);
        }

        if (transaction.Sender.IsNull)
        {
            // The message is itself a notification: one is never sent about another (RFC 5321 6.1, RFC 3464 1).
            return new SmtpReply(250, "2.0.0", $"OK: accepted as {transaction.Id}; {outcomes.Refused.Count} recipient(s) refused upstream, not reported (null sender)");
        }

        switch (await notifier.NotifyAsync(transaction, spool, session.Hostname, arrival, outcomes.Refused, cancellationToken))
        {
            case DsnHandover.Sent:
                return new SmtpReply(250, "2.0.0", $"OK: accepted as {transaction.Id}; {outcomes.Refused.Count} recipient(s) refused upstream, reported to the sender in a DSN");
            case DsnHandover.Refused:
                // No path reaches the sender: retrying for days would end in the client's bounce of
                // every recipient, the delivered ones too. An MTA drops a bounce that cannot be
                // delivered (Postfix's double bounce) rather than hold the message.
                return new SmtpReply(250, "2.0.0", $"OK: accepted as {transaction.Id}; {outcomes.Refused.Count} recipient(s) refused upstream, and so was the DSN to the sender");
            default:
                // The accepted copies are remembered, so the retry sends only the refused ones and tries the DSN again.
                return new SmtpReply(451, "4.3.0", "Some recipients were refused upstream and the report to the sender could not be sent yet, try again later");
        }
    }

    private static SmtpReply Accepted(MailTransaction transaction) => new(250, "2.0.0", "OK: accepted as " + transaction.Id);

    // Now that the message's class, tenant and topic are known, the entries held since RCPT decide.
    private static void DropRecipientsThatOptedOut(MailTransaction transaction, MessageContext context)
    {
        for (var i = transaction.Recipients.Count - 1; i >= 0; i--)
        {
            var recipient = transaction.Recipients[i];
            if (context.BlockingEntry(transaction.HeldEntries(recipient)) is { } blocking)
            {
                transaction.DropRecipient(recipient, blocking);
                SmtpTelemetry.RecipientBlocked(blocking, refused: false);
            }
        }
    }

    // A transactional copy that passes an opt-out which would have stopped marketing is on record
    // before it is sent, as a blocked delivery would be, or it is not sent: the override is the
    // tenant's permission, and a compliance officer must be able to see every use of it.
    private async Task<bool> RecordOverriddenOptOutsAsync(
        IReadOnlyList<MailboxPath> pending, MailTransaction transaction, SessionInfo session, MessageContext context, string? messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (context.Class != MessageClass.Transactional)
        {
            return true;
        }

        var overridden = new List<(MailboxPath Recipient, SuppressionEntry Entry)>();
        foreach (var recipient in pending)
        {
            if (SuppressionPolicy.FindBlockingEntry(transaction.HeldEntries(recipient), MessageClass.Marketing, context.Scopes) is { } passed)
            {
                overridden.Add((recipient, passed));
            }
        }

        if (overridden.Count == 0)
        {
            return true;
        }

        try
        {
            await blockedDeliveryLog.RecordAsync(BlockedDeliveryRecords.ForOverridden(session.ClientAddress, transaction, overridden, messageId, context.Tenant, now), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.OverriddenDeliveriesNotRecorded(transaction.Id, exception);
            return false;
        }

        foreach (var (_, entry) in overridden)
        {
            SmtpTelemetry.OptOutOverridden(entry);
        }

        return true;
    }

    // On the client's retry after a partial failure, the copies the upstream already took are skipped.
    private async Task<IReadOnlyList<MailboxPath>> PendingRecipientsAsync(MailTransaction transaction, string? messageKey, CancellationToken cancellationToken)
    {
        if (messageKey is null)
        {
            return transaction.Recipients;
        }

        try
        {
            var addresses = transaction.Recipients.Select(recipient => recipient.Address!.Value).ToList();
            var already = await acceptedCopies.GetAcceptedAsync(messageKey, addresses, cancellationToken);
            return already.Count == 0
                ? transaction.Recipients
                : transaction.Recipients.Where(recipient => !already.Contains(recipient.Address!.Value.Value)).ToList();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Sending every copy risks a duplicate, which SMTP's at-least-once delivery accepts; deferring gains nothing.
            logger.AcceptedCopiesNotRead(transaction.Id, exception);
            return transaction.Recipients;
        }
    }

    private async Task<RelayResult> RelayCopyAsync(VerbatimCopy copy, string sender, MailTransaction transaction, MailboxPath recipient, CancellationToken cancellationToken)
    {
        var startedAt = time.GetTimestamp();
        var span = RelayTelemetry.Start();
        var result = LocalFailure;
        try
        {
            result = await relay.RelayAsync(new RelayEnvelope(sender, [recipient.Mailbox], transaction.Id) { SmtpUtf8 = transaction.SmtpUtf8 }, copy, cancellationToken);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An unforeseen failure still leaves the client with a reply it can act on: try again later.
            logger.RelayFailedUnexpectedly(transaction.Id, exception);
            return LocalFailure;
        }
        finally
        {
            RelayTelemetry.Relayed(span, time.GetElapsedTime(startedAt), result, local: ReferenceEquals(result, LocalFailure));
        }
    }

    // What proves an upstream ESP's later event is about this copy; failing to keep it costs only that proof.
    private async Task RememberRelayedAsync(RelayedCopies copies, string? messageId, List<MailboxPath> accepted, string transactionId, CancellationToken cancellationToken)
    {
        try
        {
            await copies.RememberAsync(messageId, accepted.Select(recipient => recipient.Address!.Value), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.RelayedCopiesNotRemembered(transactionId, exception);
        }
    }

    private async Task RememberAcceptedAsync(string messageKey, List<MailboxPath> accepted, string transactionId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(accepted.Select(recipient => acceptedCopies.MarkAcceptedAsync(messageKey, recipient.Address!.Value, cancellationToken)));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.AcceptedCopiesNotRemembered(transactionId, exception);
        }
    }

    private static SmtpReply ToClientReply(RelayResult result)
    {
        switch (result.Outcome)
        {
            case RelayOutcome.TemporaryFailure when ReferenceEquals(result, LocalFailure):
                return new SmtpReply(451, "4.3.0", "Temporary local problem, try again later");
            case RelayOutcome.TemporaryFailure when result.Code == 0:
                return new SmtpReply(451, "4.4.1", "Upstream mail server unreachable, try again later");
            case RelayOutcome.TemporaryFailure:
                return new SmtpReply(451, "4.4.0", "Upstream mail server deferred the message: " + UpstreamText.Clean(result.Text).Text);
            default:
                var (enhanced, text) = UpstreamText.Clean(result.Text);

                // RFC 2034 4: the enhanced code must agree with the reply code, so an upstream's
                // 2.x.x or 4.x.x on a permanent failure is not repeated.
                return new SmtpReply(
                    result.Code is >= 500 and < 600 ? result.Code : 554,
                    enhanced is ['5', ..] ? enhanced : "5.0.0",
                    "Upstream: " + text);
        }
    }
}
