using Microsoft.Extensions.Logging;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Telemetry;
using Suppression.Suppressions;

namespace Suppression.Smtp.Delivery;

/// <summary>
/// Copies the upstream refused for good, at RCPT or after DATA, read as the bounces they are: a
/// reply that proves the mailbox or its domain gone (<see cref="BounceEvidence"/>, told which
/// command the reply answered, so "550 User unknown" counts at RCPT and not after DATA) suppresses the
/// recipient everywhere (hard-bounce, source relay), audited with the upstream's words (without any
/// address they quote); any other
/// refusal is only counted. No report is involved, so nobody but the upstream can cause one: a
/// client can only send mail, and the upstream decides what it refuses.
/// </summary>
public sealed class FirstHandBounces(ISuppressionStore store, ILogger<FirstHandBounces> logger)
{
    internal async Task RecordAsync(
        IReadOnlyList<RefusedCopy> refused, string clientAddress, string? messageId, string? tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (recipient, result) in refused)
        {
            var (enhanced, text) = UpstreamText.Clean(result.Text);
            DeliveryStatusCode? status = DeliveryStatusCode.TryParse(enhanced, out var parsed) ? parsed : null;
            var cause = BounceEvidence.Judge(result.Code, status, text, result.Stage, recipient.Address?.Domain);

            // The upstream's words without the address it quotes: the record names the recipient in its
            // address field, which erasure blanks; the evidence is hashed and never rewritten.
            var suppressed = cause == RefusalCause.MailboxGone
                && recipient.Address is { } address
                && await SuppressAsync(
                    address, $"upstream refused the copy: {result.Code} {(enhanced is null ? string.Empty : enhanced + " ")}{AddressRedaction.Redact(text)}",
                    clientAddress, messageId, tenant, now, cancellationToken);
            RelayTelemetry.RefusalJudged(cause, suppressed);
        }
    }

    private async Task<bool> SuppressAsync(
        NormalizedAddress address, string evidence, string clientAddress, string? messageId, string? tenant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.HardBounce, SuppressionSource.Relay, now.ToWholeSeconds());
        try
        {
            return await store.AddAsync(
                address,
                entry,
                new AuditRecord(now, AuditEventType.Suppressed, SuppressionSource.Relay.Name())
                {
                    Scope = SuppressionScope.Global,
                    Reason = SuppressionReason.HardBounce,
                    Source = SuppressionSource.Relay,
                    Tenant = tenant,
                    ClientAddress = clientAddress,
                    Evidence = evidence,
                    MessageId = messageId,
                },
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The client's reply does not wait on this: the next copy refused the same way records it.
            logger.HardBounceNotRecorded(exception);
            return false;
        }
    }
}
