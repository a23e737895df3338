using System.Net;
using Microsoft.Extensions.Logging;
using MimeKit;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Smtp.Telemetry;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.LocalMailboxes;

/// <summary>
/// Mail to a feedback address: delivery status notifications and complaint reports turn into
/// suppressions (hard bounce: every class; complaint: marketing), soft bounces are counted until
/// they add up, and anything unreadable is kept for a person. Such mail is never relayed and is
/// accepted from any client, since it comes from mail servers anywhere.
/// </summary>
public sealed class FeedbackHandler : ILocalMailbox
{
    private readonly HashSet<string> _addresses;
    private readonly FeedbackOptions _options;
    private readonly ISuppressionStore _store;
    private readonly IFeedbackStore _feedback;
    private readonly TimeProvider _time;
    private readonly ILogger<FeedbackHandler> _logger;
    private readonly ReturnedUnsubscribeLinks? _links;
    private readonly AddressVariantRules _addressRules;
    private readonly IFeedbackReview? _review;

    /// <param name="tokens">Reads the gateway's own links in returned messages, to scope a complaint to the tenant it was about.</param>
    /// <param name="addressRules">Which spellings are one mailbox; <see cref="AddressVariantRules.Default"/> when null.</param>
    /// <param name="review">Where unauthenticated reports wait for a person (<see cref="UnauthenticatedFeedback.Review"/>); without it they are only logged.</param>
    public FeedbackHandler(
        FeedbackOptions options, ISuppressionStore store, IFeedbackStore feedback, TimeProvider time, ILogger<FeedbackHandler> logger,
        UnsubscribeTokenCodec? tokens = null, AddressVariantRules? addressRules = null, IFeedbackReview? review = null)
    {
        _links = tokens is null ? null : new ReturnedUnsubscribeLinks(tokens);
        _review = review;
        _addressRules = addressRules ?? AddressVariantRules.Default;
        ArgumentNullException.ThrowIfNull(options);
        _addresses = (options.Addresses ?? [])
            .Select(address => AddressNormalizer.TryNormalize(address, out var normalized, out _) ? normalized.Value : throw new ArgumentException($"'{address}' is not an address.", nameof(options)))
            .ToHashSet(StringComparer.Ordinal);
        _options = options;
        _store = store;
        _feedback = feedback;
        _time = time;
        _logger = logger;
    }

    public bool Accepts(NormalizedAddress recipient) => _addresses.Contains(recipient.Value);

    Task<SmtpReply> ILocalMailbox.HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken) =>
        HandleAsync(transaction, spool, client, authority: null, cancellationToken);

    /// <param name="authority">When the address the report came to limits whom it may affect (a return-path tag); null for a feedback address.</param>
    internal async Task<SmtpReply> HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, ReportAuthority? authority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(spool);
        var now = _time.GetUtcNow();
        var span = FeedbackTelemetry.Start();
        var report = new FeedbackReport { Kind = FeedbackKind.Unrecognized };
        MimeMessage? message = null;
        string? reportMessageId = null;
        var suppressed = 0;
        var outcome = "deferred";
        try
        {
            try
            {
                message = await MimeMessage.LoadAsync(LocalMailboxParsing.Options, spool.OpenRead(), persistent: false, cancellationToken);
                reportMessageId = message.MessageId;
                report = FeedbackReportParser.Parse(message, _options.MaxReportRecipients);
            }
            catch (FormatException exception)
            {
                report = new FeedbackReport { Kind = FeedbackKind.Malformed, Reason = "not an Internet message: " + exception.Message };
            }

            var covered = authority is null ? report.Recipients : report.Recipients.Where(recipient => authority.Covers(recipient.Address)).ToList();
            if (authority is not null && covered.Count == 0)
            {
                // The tag holds a digest of its recipient, not the address; the gateway's own link in
                // the returned message can name them. Then only the reason is unknown: a soft bounce at
                // most. An out-of-office answer quoting the message is no bounce at all.
                if (_links is not null && !AutoReply.Is(message) && await _links.FindRecipientAsync(spool, message, authority.Covers, now, cancellationToken) is { } tagged)
                {
                    var (recipient, evidence) = TaggedRecipient.Of(tagged, report);
                    suppressed += await ApplyAsync(report, recipient, client, now, authority, cancellationToken, evidence) ? 1 : 0;
                    _logger.FeedbackRecipientFoundByLink(transaction.Id, report.Kind, recipient.Outcome);
                    outcome = "processed";
                    return new SmtpReply(250, "2.0.0", "Report received");
                }

                // Nobody the gateway may suppress: a person looks at it, told which tag it came on.
                report = report.Kind is FeedbackKind.Unrecognized or FeedbackKind.Malformed
                    ? report with { Reason = $"{report.Reason} (received on {authority.Description})" }
                    : report with { Kind = FeedbackKind.Unrecognized, Reason = $"names none of the recipients {authority.Description} may affect" };
            }

            if (report.Kind is FeedbackKind.Unrecognized or FeedbackKind.Malformed)
            {
                // Accepted all the same: refusing would only make the reporting server retry or bounce a bounce.
                // The reason may quote a recipient field; the kept copy has it whole, the log does not.
                _logger.FeedbackNotUnderstood(transaction.Id, report.Kind, AddressRedaction.Redact(report.Reason));
                if (!await _feedback.KeepRejectedAsync(
                    now, client.ToString(), SourceNetwork.Of(client), _options.MaxKeptPerSource, _options.KeptPerSourceWindow,
                    $"{report.Kind}: {report.Reason}", await ReadStartAsync(spool, cancellationToken), cancellationToken))
                {
                    outcome = "not-kept";
                    return new SmtpReply(250, "2.0.0", "Report received but not understood; not kept, as your network's share of kept reports is used up");
                }

                outcome = "kept";
                return new SmtpReply(250, "2.0.0", "Report received but not understood; kept for inspection");
            }

            var held = new List<ReviewedRecipient>();
            foreach (var recipient in covered)
            {
                if (authority is null && _options.Unauthenticated == UnauthenticatedFeedback.Review && !IsAuthenticatedComplaint(report, recipient, now))
                {
                    // Nothing proves this report is about mail we sent: anyone can send it to a
                    // feedback address, so it suppresses nobody and waits for a person.
                    if (recipient.Outcome is not FeedbackOutcome.None)
                    {
                        held.Add(Reviewed(report, recipient, now));
                    }

                    continue;
                }

                suppressed += await ApplyAsync(report, recipient, client, now, authority, cancellationToken) ? 1 : 0;
            }

            if (held.Count > 0)
            {
                outcome = "review";
                return await HoldForReviewAsync(transaction, report, reportMessageId, held, client, now, cancellationToken);
            }

            _logger.FeedbackProcessed(transaction.Id, report.Kind, report.Recipients.Count, report.Recipients.Count - covered.Count, suppressed);
            outcome = "processed";
            return new SmtpReply(250, "2.0.0", "Report received");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The reporting server keeps the report and tries again; nothing is lost.
            _logger.FeedbackNotRecorded(transaction.Id, exception);
            return new SmtpReply(451, "4.3.0", "Temporary failure recording the report, try again later");
        }
        finally
        {
            FeedbackTelemetry.Handled(span, report.Kind, outcome, report.Recipients.Count, suppressed);
        }
    }

    private async Task<SmtpReply> HoldForReviewAsync(
        MailTransaction transaction, FeedbackReport report, string? reportMessageId, List<ReviewedRecipient> held, IPAddress client, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var item = new FeedbackReviewItem(
            Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
            now,
            client.ToString(),
            report.Kind == FeedbackKind.Complaint ? "arf" : "dsn",
            held,
            reportMessageId,
            report.OriginalMessageId);
        if (_review is null || !await _review.EnqueueAsync(item, SourceNetwork.Of(client), _options.MaxKeptPerSource, _options.KeptPerSourceWindow, cancellationToken))
        {
            _logger.UnauthenticatedFeedbackNotHeld(
                transaction.Id, report.Kind, held.Count, _review is null ? "no review queue" : "its network's share of the queue is used up");
            return new SmtpReply(250, "2.0.0", "Report received; not held, as your network's share of held reports is used up");
        }

        _logger.UnauthenticatedFeedbackHeld(transaction.Id, report.Kind, held.Count, item.Id);
        return new SmtpReply(250, "2.0.0", "Report received; held for review");
    }

    private bool IsAuthenticatedComplaint(FeedbackReport report, FeedbackRecipient recipient, DateTimeOffset now) =>
        recipient.Outcome == FeedbackOutcome.Complaint && ComplaintScope(report, recipient, now).Authenticated;

    private ReviewedRecipient Reviewed(FeedbackReport report, FeedbackRecipient recipient, DateTimeOffset now)
    {
        var (verdict, scope) = recipient.Outcome switch
        {
            FeedbackOutcome.HardBounce => ("hard-bounce", SuppressionScope.Global),
            FeedbackOutcome.Complaint => ("complaint", ComplaintScope(report, recipient, now).Scope),
            _ => ("soft-bounce", SuppressionScope.Global),
        };
        return new ReviewedRecipient(
            recipient.Address.Value,
            verdict,
            scope.ToString(),
            recipient.SuppressionReason?.Name(),
            recipient.SuppressionReason is null ? null : report.Source?.Name(),
            recipient.Status,
            recipient.Diagnostic,
            Evidence(report, recipient));
    }

    /// <param name="reading">How the recipient was found when the report does not name them, said before the report's own words.</param>
    private async Task<bool> ApplyAsync(
        FeedbackReport report, FeedbackRecipient recipient, IPAddress client, DateTimeOffset now, ReportAuthority? authority, CancellationToken cancellationToken,
        string? reading = null)
    {
        var evidence = string.Join("; ", new[] { reading, Evidence(report, recipient), authority is null ? null : "received on " + authority.Description }.Where(part => !string.IsNullOrEmpty(part)));

        // A bounce suppresses everywhere, yet the tag says whose mail it was: the audit names that tenant.
        var tenant = authority?.Tenant;
        switch (recipient.Outcome)
        {
            case FeedbackOutcome.HardBounce:
                return await SuppressAsync(recipient.Address, SuppressionReason.HardBounce, SuppressionSource.Dsn, client, now, evidence, report.OriginalMessageId, tenant, cancellationToken);
            case FeedbackOutcome.Complaint:
                // A complaint says "stop this kind of mail": the complaining tenant's marketing when the
                // returned message carries our link for this recipient, else everyone's.
                var (scope, sender, _) = authority?.Tenant is { } tagged && SuppressionScope.TryForTenant(tagged, out var taggedScope)
                    ? (taggedScope, string.Empty, true)
                    : ComplaintScope(report, recipient, now);
                return await SuppressAsync(recipient.Address, SuppressionReason.Complaint, SuppressionSource.Arf, client, now, evidence + sender, report.OriginalMessageId, tenant, cancellationToken, scope);
            case FeedbackOutcome.SoftBounce:
                var count = await _feedback.CountSoftBounceAsync(recipient.Address, _options.SoftBounceWindow, cancellationToken);
                return count == _options.SoftBounceLimit
                    && await SuppressAsync(recipient.Address, SuppressionReason.HardBounce, SuppressionSource.Dsn, client, now,
                        $"{count} soft bounces within {_options.SoftBounceWindow.TotalDays:0.#} days; last: {evidence}", report.OriginalMessageId, tenant, cancellationToken);
            default:
                return false;
        }
    }

    private async Task<bool> SuppressAsync(
        NormalizedAddress address, SuppressionReason reason, SuppressionSource source, IPAddress client, DateTimeOffset now, string evidence,
        string? messageId, string? tenant, CancellationToken cancellationToken, SuppressionScope? scope = null)
    {
        var applied = scope ?? SuppressionScope.Global;
        var entry = new SuppressionEntry(applied, reason, source, now.ToWholeSeconds());
        return await _store.AddAsync(
            address,
            entry,
            new AuditRecord(now, AuditEventType.Suppressed, source.Name())
            {
                Scope = applied,
                Reason = reason,
                Source = source,
                Tenant = applied.Tenant ?? tenant,
                ClientAddress = client.ToString(),
                Evidence = evidence,
                MessageId = messageId,
            },
            cancellationToken);
    }

    // The token is authenticated, so a report cannot name a tenant of its choosing; it must also be
    // this recipient's own token (any variant of the mailbox), or the report is about someone else's copy.
    private (SuppressionScope Scope, string Evidence, bool Authenticated) ComplaintScope(FeedbackReport report, FeedbackRecipient recipient, DateTimeOffset now)
    {
        foreach (var token in _links?.In(report.OriginalListUnsubscribe, now) ?? [])
        {
            if (_addressRules.MatchKeyOf(token.Recipient) == _addressRules.MatchKeyOf(recipient.Address))
            {
                return token.Tenant is { } tenant && SuppressionScope.TryForTenant(tenant, out var scope)
                    ? (scope, $"; the reported message carried the gateway's link for tenant {tenant}", true)
                    : (SuppressionScope.Global, "; the reported message carried the gateway's link for no tenant", true);
            }
        }

        return (SuppressionScope.Global, string.Empty, false);
    }

    // The remote server's words go in without any address they quote ("550 5.1.1 <[address]>: User
    // unknown"): the record names the recipient in its address field, which erasure blanks; the
    // evidence is hashed into the chain and never rewritten. The review queue keeps the words whole
    // for the person deciding (ReviewedRecipient.Diagnostic).
    private static string Evidence(FeedbackReport report, FeedbackRecipient recipient)
    {
        var parts = new List<string>();
        if (report.Complaint is { } complaint)
        {
            parts.Add("Feedback-Type " + complaint.FeedbackType);
            if (complaint.UserAgent is { } agent)
            {
                parts.Add("from " + AddressRedaction.Redact(agent));
            }
        }

        if (recipient.Status is { } status)
        {
            parts.Add($"Action {recipient.Action}, Status {status}");
        }

        if (recipient.Diagnostic is { } diagnostic)
        {
            parts.Add(AddressRedaction.Redact(diagnostic.Length > 200 ? diagnostic[..200] : diagnostic));
        }

        if (report.OriginalMessageId is { } id)
        {
            parts.Add($"original Message-ID <{id}>");
        }

        return string.Join("; ", parts);
    }

    // The start of the message is what a person needs to see what it was; a huge one is not kept whole.
    private static async Task<byte[]> ReadStartAsync(MessageSpool spool, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        await using var stream = spool.OpenRead();
        var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return buffer[..length];
    }
}
