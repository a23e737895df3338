using Microsoft.Extensions.Logging;
using MimeKit;
using Suppression.Delivery;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;

namespace Suppression.Smtp.Messages;

/// <summary>
/// What happens after the client's final ".": record the dropped recipients, prepend the Received
/// header and relay to the rest. The reply is only positive once the next hop has the message
/// (DESIGN.md, delivery semantics): the client keeps responsibility for it until then.
/// </summary>
public sealed class MessageDelivery(IMessageRelay relay, IBlockedDeliveryLog blockedDeliveryLog, TimeProvider time, ILogger<MessageDelivery> logger)
{
    public async Task<SmtpReply> DeliverAsync(MailTransaction transaction, MessageSpool spool, SessionInfo session, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            // In memory there is nothing to wait for, and the synchronous parser skips the async machinery.
            message = spool.IsInMemory
                ? MimeMessage.Load(ParserOptions.Default, spool.OpenRead(), persistent: true, cancellationToken)
                : await MimeMessage.LoadAsync(ParserOptions.Default, spool.OpenRead(), persistent: true, cancellationToken);
        }
        catch (FormatException)
        {
            return new SmtpReply(554, "5.6.0", "Message is not in Internet Message Format (RFC 5322)");
        }

        var now = time.GetUtcNow();
        var dropped = transaction.DroppedRecipients.Count;
        if (dropped > 0)
        {
            var records = BlockedDeliveryRecords.ForDropped(session.ClientAddress, transaction, message.MessageId, now);

            // Recorded here or, after a 451, when the client tries again: never twice.
            transaction.DroppedRecipients.Clear();
            try
            {
                await blockedDeliveryLog.RecordAsync(records, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Every blocked delivery is on record, or the client tries again later.
                logger.LogWarning("Could not record blocked deliveries, deferring message {TransactionId}: {Error}", transaction.Id, exception.Message);
                return new SmtpReply(451, "4.3.0", "Temporary failure recording the message, try again later");
            }
        }

        if (transaction.Recipients.Count == 0)
        {
            // Addresses stay out of the log; the blocked-delivery record has them.
            logger.LogInformation("Message {TransactionId}: all {DroppedCount} recipient(s) suppressed, nothing relayed", transaction.Id, dropped);
            return new SmtpReply(250, "2.0.0", "OK: accepted as " + transaction.Id);
        }

        message.Headers.Insert(0, new Header("Received", ReceivedHeader.Build(
            session.ClientDomain,
            session.ClientAddress,
            session.Hostname,
            session.Extended,
            session.Secure,
            transaction.SmtpUtf8,
            transaction.Id,
            transaction.Recipients.Count == 1 ? transaction.Recipients[0].Mailbox : null,
            now)));

        var envelope = new RelayEnvelope(
            transaction.Sender.Mailbox,
            transaction.Recipients.Select(recipient => recipient.Mailbox).ToList(),
            transaction.Id);
        RelayResult result;
        try
        {
            result = await relay.RelayAsync(envelope, message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // An unforeseen failure still leaves the client with a reply it can act on: try again later.
            logger.LogError(exception, "Relaying message {TransactionId} failed unexpectedly", transaction.Id);
            return new SmtpReply(451, "4.3.0", "Temporary local problem, try again later");
        }

        logger.LogInformation("Message {TransactionId} to {RecipientCount} recipient(s), {DroppedCount} suppressed: {Outcome} {Text}",
            transaction.Id, envelope.Recipients.Count, dropped, result.Outcome, result.Text);
        return ToClientReply(result, transaction.Id);
    }

    private static SmtpReply ToClientReply(RelayResult result, string transactionId)
    {
        switch (result.Outcome)
        {
            case RelayOutcome.Accepted:
                return new SmtpReply(250, "2.0.0", "OK: accepted as " + transactionId);
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
