using System.Net;
using Microsoft.Extensions.Logging;
using MimeKit;
using Suppression.Addresses;
using Suppression.ReturnPath;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Verbatim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Telemetry;
using Suppression.Smtp.Tenants;

namespace Suppression.Smtp.LocalMailboxes;

/// <summary>
/// Mail to a signed return path (VERP): accepted from any client only for a tag that verifies and is
/// within its validity, read as a report and never relayed. The tag, not the report, says whom the
/// report may affect: the one recipient its copy went to.
/// </summary>
public sealed class ReturnPathMailbox : ILocalMailbox
{
    private readonly ReturnPathTagCodec _codec;
    private readonly HashSet<string> _domains;
    private readonly FeedbackHandler _reports;
    private readonly AddressVariantRules _addressRules;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, string> _tenantByContext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _forwardByTenant = new(StringComparer.Ordinal);
    private readonly IMessageRelay? _relay;
    private readonly ILogger<ReturnPathMailbox>? _logger;

    /// <param name="domains">Every configured return-path domain, the global one and the tenants' own.</param>
    /// <param name="relay">Forwards reports to a tenant's <c>BounceForwardAddress</c>; null forwards nothing.</param>
    public ReturnPathMailbox(
        ReturnPathTagCodec codec, IEnumerable<string> domains, FeedbackHandler reports, AddressVariantRules addressRules, IEnumerable<TenantOptions> tenants, TimeProvider time,
        IMessageRelay? relay = null, ILogger<ReturnPathMailbox>? logger = null)
    {
        _relay = relay;
        _logger = logger;
        ArgumentNullException.ThrowIfNull(domains);
        ArgumentNullException.ThrowIfNull(tenants);
        _codec = codec;
        _domains = domains.Select(domain => domain.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        _reports = reports;
        _addressRules = addressRules;
        _time = time;

        // The tag holds a digest of (tenant, topic); a topic the tenant did not declare cannot be
        // mapped back, and a complaint on such a tag is scoped as one on a feedback address.
        foreach (var tenant in tenants)
        {
            if (!string.IsNullOrWhiteSpace(tenant.BounceForwardAddress))
            {
                _forwardByTenant[tenant.Id] = tenant.BounceForwardAddress.Trim();
            }

            foreach (var topic in (tenant.Topics ?? []).Select(topic => (string?)topic.Id).Prepend(null))
            {
                _tenantByContext.TryAdd(Convert.ToHexString(ReturnPathContext.Digest(tenant.Id, topic)), tenant.Id);
            }
        }
    }

    public bool Owns(NormalizedAddress recipient) => _domains.Contains(recipient.Domain);

    public bool Accepts(NormalizedAddress recipient) => _domains.Contains(recipient.Domain) && _codec.TryDecode(recipient.LocalPart, _time.GetUtcNow(), out _, out _);

    // Each tag speaks for one recipient; reports for two copies come in two transactions.
    public bool TakesOneAddressPerTransaction => true;

    async Task<SmtpReply> ILocalMailbox.HandleAsync(MailTransaction transaction, MessageSpool spool, IPAddress client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.LocalRecipient is not { } address || !_codec.TryDecode(address.LocalPart, _time.GetUtcNow(), out var tag, out _))
        {
            // Valid at RCPT and expired by the final "." (at the end of its last day): still nobody to act for.
            return new SmtpReply(550, "5.1.1", "No such mailbox here");
        }

        var tenant = _tenantByContext.GetValueOrDefault(Convert.ToHexString(tag.ContextDigest.Span));
        var authority = new ReportAuthority(
            named => _codec.Names(tag, _addressRules.MatchKeyOf(named)),
            tenant,
            $"the gateway's return path of {tag.SendingDay:yyyy-MM-dd} (key {tag.KeyId}{(tenant is null ? string.Empty : ", tenant " + tenant)})");
        var reply = await _reports.HandleAsync(transaction, spool, client, authority, cancellationToken);
        if (reply.Code < 300 && tenant is not null && _forwardByTenant.TryGetValue(tenant, out var forwardTo))
        {
            await ForwardAsync(transaction, spool, forwardTo, cancellationToken);
        }

        return reply;
    }

    // Best effort: the report has been applied, and deferring it now would only apply it twice on
    // the retry; a forward the upstream does not take is logged. The null sender, as for any
    // notification (RFC 5321 4.5.5), so a failure to deliver it is never answered.
    private async Task ForwardAsync(MailTransaction transaction, MessageSpool spool, string forwardTo, CancellationToken cancellationToken)
    {
        if (_relay is null)
        {
            return;
        }

        try
        {
            // As it came: the report's own bytes. Mail to the gateway's own mailboxes may hold bare CR
            // or LF (it is read liberally, never relayed as it is): such a report, or one whose first
            // line is not a field, is parsed and written by MimeKit, every line ending in CRLF.
            var verbatim = HasBareLineEnds(spool) ? null : VerbatimCopy.AsReceived(ClientMessage.Read(spool), transaction.EightBitMime);
            var message = verbatim as MimeMessage
                ?? await MimeMessage.LoadAsync(ParserOptions.Default, spool.OpenRead(), persistent: true, cancellationToken);
            var envelope = new RelayEnvelope(string.Empty, [forwardTo], transaction.Id + "-fwd") { SmtpUtf8 = transaction.SmtpUtf8 };
            var result = await _relay.RelayAsync(envelope, message, cancellationToken);
            if (result.Outcome != RelayOutcome.Accepted)
            {
                _logger?.ReportNotForwarded(transaction.Id, result.Outcome, AddressRedaction.Redact(result.Text));
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger?.ReportForwardFailed(transaction.Id, exception);
        }
    }

    // The spool's stream is its own (a file spool's is shared): read, never disposed here.
    private static bool HasBareLineEnds(MessageSpool spool)
    {
        var stream = spool.OpenRead();
        var buffer = new byte[8192];
        var previous = -1;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (int current in buffer.AsSpan(0, read))
            {
                if ((current == '\n' && previous != '\r') || (previous == '\r' && current != '\n'))
                {
                    return true;
                }

                previous = current;
            }
        }

        return previous == '\r';
    }
}
