using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Suppressions;

namespace Suppression.Smtp.Feedback.Providers;

/// <summary>
/// An upstream ESP's verified event, turned into what a DSN or ARF report about the same recipient
/// would do: a permanent bounce is judged by the decision table (<see cref="BounceVerdict"/>) from the
/// status and diagnostic the ESP quotes, a transient one is counted, a complaint suppresses marketing,
/// an unsubscribe opts out. The signature proves who sent the event, not that it is about mail the
/// gateway relayed to that recipient: it acts only when the accepted copies of the Message-ID it names
/// include the recipient, and otherwise follows <see cref="FeedbackOptions.Unauthenticated"/> (held for
/// review by default). Each event id is taken once.
/// </summary>
public sealed class ProviderFeedback(
    FeedbackOptions options, ISuppressionStore store, IFeedbackStore feedback, IFeedbackReview review, RelayedCopies relayedCopies,
    IProviderEventLedger ledger, TimeProvider time, ILogger<ProviderFeedback> logger)
{
    /// <summary>How long an event id is remembered: ESPs retry for hours (Mailgun 8, Postmark 10, SendGrid 72).</summary>
    public static readonly TimeSpan EventRetention = TimeSpan.FromDays(7);

    /// <summary>
    /// How long an id is held while its event is being recorded: far longer than recording takes, and
    /// shorter than any ESP's first retry (Postmark's, a minute), so an event whose recording failed in
    /// a way that also kept the id from being forgotten (the store gone, the request aborted) is still
    /// taken when the provider sends it again.
    /// </summary>
    public static readonly TimeSpan InFlightRetention = TimeSpan.FromSeconds(30);

    public async Task<ProviderEventOutcome> RecordAsync(ProviderEvent providerEvent, FeedbackProviderOptions provider, IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providerEvent);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(client);
        var verdict = Verdict(providerEvent);
        if (verdict is null)
        {
            return ProviderEventOutcome.Ignored;
        }

        if (!await ledger.TryRecordAsync(provider.Name, providerEvent.EventId, InFlightRetention, cancellationToken))
        {
            logger.ProviderEventDuplicate(provider.Name, providerEvent.EventId);
            return ProviderEventOutcome.Duplicate;
        }

        try
        {
            var outcome = await ApplyAsync(providerEvent, verdict.Value, provider, client, cancellationToken);
            await ledger.KeepAsync(provider.Name, providerEvent.EventId, EventRetention, cancellationToken);
            logger.ProviderEventRecorded(provider.Name, providerEvent.EventId, providerEvent.Type, outcome);
            return outcome;
        }
        catch (Exception)
        {
            // The provider retries a failed delivery (an aborted request too); its retry must not be taken for a duplicate.
            await ForgetAsync(provider.Name, providerEvent.EventId);
            throw;
        }
    }

    // The failure that brought us here may keep this from working too (the store is down): then the
    // id lapses after InFlightRetention by itself, and the original failure is what the caller sees.
    private async Task ForgetAsync(string provider, string eventId)
    {
        try
        {
            await ledger.ForgetAsync(provider, eventId, CancellationToken.None);
        }
        catch (Exception exception)
        {
            logger.ProviderEventNotForgotten(provider, eventId, exception);
        }
    }

    private async Task<ProviderEventOutcome> ApplyAsync(
        ProviderEvent providerEvent, FeedbackOutcome verdict, FeedbackProviderOptions provider, IPAddress client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var scope = ScopeOf(providerEvent.Kind, provider);
        var (reason, verdictName) = (providerEvent.Kind, verdict) switch
        {
            (ProviderEventKind.Unsubscribe, _) => ((SuppressionReason?)SuppressionReason.Unsubscribe, "unsubscribe"),
            (_, FeedbackOutcome.Complaint) => (SuppressionReason.Complaint, "complaint"),
            (_, FeedbackOutcome.HardBounce) => (SuppressionReason.HardBounce, "hard-bounce"),
            _ => (null, "soft-bounce"),
        };
        var evidence = Evidence(providerEvent, provider);
        var relayed = await relayedCopies.WasRelayedToAsync(providerEvent.MessageId, providerEvent.Recipient, cancellationToken);
        if (!relayed && options.Unauthenticated == UnauthenticatedFeedback.Review)
        {
            var item = new FeedbackReviewItem(
                Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                now,
                client.ToString(),
                provider.Name,
                [new ReviewedRecipient(
                    providerEvent.Recipient.Value, verdictName, scope.ToString(), reason?.Name(), reason is null ? null : SuppressionSource.ProviderEvent.Name(),
                    providerEvent.Status, providerEvent.Diagnostic, evidence + "; not provably about a copy the gateway relayed to this recipient")],
                providerEvent.EventId,
                providerEvent.MessageId,
                NullIfEmpty(provider.Tenant));
            return await review.EnqueueAsync(item, SourceNetwork.Of(client), options.MaxKeptPerSource, options.KeptPerSourceWindow, cancellationToken)
                ? ProviderEventOutcome.Held
                : ProviderEventOutcome.NotHeld;
        }

        evidence += relayed ? "; the gateway relayed this message to this recipient" : "; not provable, acted on as Suppression:Feedback:Unauthenticated is Act";
        if (reason is { } suppression)
        {
            return await SuppressAsync(providerEvent, provider, scope, suppression, evidence, now, cancellationToken);
        }

        var count = await feedback.CountSoftBounceAsync(providerEvent.Recipient, options.SoftBounceWindow, cancellationToken);
        return count == options.SoftBounceLimit
            ? await SuppressAsync(providerEvent, provider, SuppressionScope.Global, SuppressionReason.HardBounce,
                $"{count} soft bounces within {options.SoftBounceWindow.TotalDays:0.#} days; last: {evidence}", now, cancellationToken)
            : ProviderEventOutcome.Recorded;
    }

    // RFC 3464's "failed" and "delayed", so one table decides for every kind of report.
    private static FeedbackOutcome? Verdict(ProviderEvent providerEvent) => providerEvent.Kind switch
    {
        ProviderEventKind.PermanentBounce => BounceVerdict.Of(
            "failed", DeliveryStatusCode.TryParse(providerEvent.Status, out var status) ? status : null, providerEvent.Diagnostic, RefusalStage.Unknown,
            providerEvent.Recipient.Domain) ?? FeedbackOutcome.SoftBounce,
        ProviderEventKind.TransientBounce => FeedbackOutcome.SoftBounce,
        ProviderEventKind.Complaint => FeedbackOutcome.Complaint,
        ProviderEventKind.Unsubscribe => FeedbackOutcome.None,
        _ => null,
    };

    // A bounce is about the mailbox, for everyone; a complaint or an unsubscribe is about the sender,
    // which is the tenant the ESP account is configured for, when there is one.
    private static SuppressionScope ScopeOf(ProviderEventKind kind, FeedbackProviderOptions provider) =>
        kind is ProviderEventKind.Complaint or ProviderEventKind.Unsubscribe && SuppressionScope.TryForTenant(provider.Tenant, out var tenant)
            ? tenant
            : SuppressionScope.Global;

    private async Task<ProviderEventOutcome> SuppressAsync(
        ProviderEvent providerEvent, FeedbackProviderOptions provider, SuppressionScope scope, SuppressionReason reason, string evidence, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var entry = new SuppressionEntry(scope, reason, SuppressionSource.ProviderEvent, now.ToWholeSeconds());
        var added = await store.AddAsync(
            providerEvent.Recipient,
            entry,
            new AuditRecord(now, AuditEventType.Suppressed, provider.Name)
            {
                Scope = scope,
                Reason = reason,
                Source = SuppressionSource.ProviderEvent,
                Tenant = scope.Tenant ?? NullIfEmpty(provider.Tenant),
                Evidence = evidence,
                MessageId = providerEvent.MessageId,
            },
            cancellationToken);
        return added ? ProviderEventOutcome.Suppressed : ProviderEventOutcome.Recorded;
    }

    // The remote server's words go in without the addresses they quote, as for DSNs (FeedbackHandler).
    private static string Evidence(ProviderEvent providerEvent, FeedbackProviderOptions provider)
    {
        var parts = new List<string> { $"{provider.Name} event {providerEvent.EventId} ({providerEvent.Type})" };
        if (providerEvent.Status is { } status)
        {
            parts.Add("Status " + status);
        }

        if (providerEvent.Diagnostic is { } diagnostic)
        {
            parts.Add(AddressRedaction.Redact(diagnostic.Length > 200 ? diagnostic[..200] : diagnostic));
        }

        if (providerEvent.MessageId is { } id)
        {
            parts.Add($"original Message-ID <{id.Trim('<', '>', ' ')}>");
        }

        return string.Join("; ", parts);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
