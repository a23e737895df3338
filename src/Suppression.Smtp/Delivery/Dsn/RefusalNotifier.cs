using Microsoft.Extensions.Logging;
using MimeKit;
using Suppression.Addresses;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Telemetry;

namespace Suppression.Smtp.Delivery.Dsn;

/// <summary>
/// Hands the upstream a DSN (<see cref="RefusalReport"/>) for the copies it refused, addressed to
/// the message's envelope sender, before the client hears 250 for the message.
/// </summary>
public sealed class RefusalNotifier(IMessageRelay relay, UpstreamOptions upstream, TimeProvider time, ILogger<RefusalNotifier> logger)
{
    internal async Task<DsnHandover> NotifyAsync(
        MailTransaction transaction, MessageSpool spool, string reportingMta, DateTimeOffset arrival, IReadOnlyList<RefusedCopy> refused, CancellationToken cancellationToken)
    {
        RelayResult result;
        try
        {
            // The client's own header section, read again: the parsed message now carries the last copy's additions.
            var headers = await HeaderList.LoadAsync(ParserOptions.Default, spool.OpenRead(), cancellationToken);
            var report = RefusalReport.Create(
                reportingMta, string.IsNullOrWhiteSpace(upstream.Host) ? null : upstream.Host, transaction.Sender.Mailbox, arrival, refused, headers, time.GetUtcNow());

            // RFC 5321 4.5.5 and 6.1: a notification goes out with the null reverse-path, so that no
            // failure to deliver it can ever be answered with another.
            var envelope = new RelayEnvelope(string.Empty, [transaction.Sender.Mailbox], transaction.Id + "-dsn");
            result = await relay.RelayAsync(envelope, report, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.DsnFailedUnexpectedly(transaction.Id, exception);
            SmtpTelemetry.DsnFailed(DsnHandover.Deferred);
            return DsnHandover.Deferred;
        }

        if (result.Outcome != RelayOutcome.Accepted)
        {
            var handover = result.Outcome == RelayOutcome.PermanentFailure ? DsnHandover.Refused : DsnHandover.Deferred;

            // The upstream's words may name the sender.
            logger.DsnNotTaken(transaction.Id, refused.Count, handover, AddressRedaction.Redact(result.Text));
            SmtpTelemetry.DsnFailed(handover);
            return handover;
        }

        var statuses = refused.Select(RefusalReport.StatusCode).ToList();
        logger.DsnSent(transaction.Id, refused.Count, string.Join(", ", statuses));
        foreach (var status in statuses)
        {
            SmtpTelemetry.DsnSent(status);
        }

        return DsnHandover.Sent;
    }
}
