using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Feedback;
using Suppression.Redis.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;
using Suppression.Redis.Webhooks;
using Suppression.Suppressions;

namespace Suppression.Redis.Audit;

/// <summary>
/// Erases a mailbox (every spelling that shares its match key) from the audit chains and its entry,
/// keeps it blocked for all mail with an <c>erasure</c> entry, and records the erasure by hash only.
/// Unreadable feedback kept for people to look at is removed too when it mentions the address, and
/// reports held for review lose the mailbox (an item left naming nobody, or still mentioning it, goes).
/// Webhook payloads already queued for the mailbox lose the address (events built after the erasure
/// never had it: they are built from the blanked records).
/// </summary>
public sealed class RedisErasure : IErasure
{
    // Blanking and the erased record are separate steps; a record written between them with the clear
    // address is caught by blanking again. After the erased record, writers keep only the hash.
    private const int Passes = 2;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditedChangeWriter _audit;
    private readonly WebhookOutbox? _webhooks;
    private readonly RedisWebhookBacklog? _backlog;

    /// <param name="webhooks">When webhooks are configured: whose queued payloads to redact.</param>
    public RedisErasure(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditedChangeWriter audit, WebhookOutbox? webhooks = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        _database = connection.GetDatabase();
        _layout = layout;
        _audit = audit;
        _webhooks = webhooks;
        _backlog = webhooks is null ? null : new RedisWebhookBacklog(connection, layout);
    }

    public Task<ErasureResult> EraseAsync(NormalizedAddress address, AuditRecord request, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(EraseUntranslatedAsync(address, request, cancellationToken));

    // With webhooks, an erasure is counted as begun before it blanks anything and as ended after it
    // redacted queued payloads (or failed): the fan-out reads the counters around its own read and
    // queueing, and checks its work again only when an erasure may have overlapped it.
    private async Task<ErasureResult> EraseUntranslatedAsync(NormalizedAddress address, AuditRecord request, CancellationToken cancellationToken)
    {
        if (_backlog is null)
        {
            return await EraseCountedAsync(address, request, cancellationToken);
        }

        await _database.StringIncrementAsync(_layout.ErasuresBegunKey).WaitAsync(cancellationToken);
        try
        {
            return await EraseCountedAsync(address, request, cancellationToken);
        }
        finally
        {
            await _database.StringIncrementAsync(_layout.ErasuresEndedKey).WaitAsync(CancellationToken.None);
        }
    }

    private async Task<ErasureResult> EraseCountedAsync(NormalizedAddress address, AuditRecord request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slot = _layout.Locate(address);
        var keys = _layout.ChainKeys(slot.Bucket);
        var addressHash = _audit.Key.AddressHash(address);

        var records = await BlankAsync(address, keys, cancellationToken);
        var entry = new SuppressionEntry(SuppressionScope.Global, SuppressionReason.Erasure, SuppressionSource.Api, request.Time.ToWholeSeconds());
        var entries = await _audit.AppendAsync(slot, blocked: false, value =>
        {
            // Erasure blocks all mail (docs/design.md, consent model), so it takes the place of a global opt-out.
            var replaced = value.Entries.FirstOrDefault(existing => existing.Scope == SuppressionScope.Global);
            value.Remove(SuppressionScope.Global);
            value.TryAdd(entry);
            value.Erase(addressHash);
            var evidence = replaced is null ? request.Evidence : $"{request.Evidence} (replaces the global {replaced.Reason.Name()} entry of {replaced.CreatedAt:yyyy-MM-dd})".TrimStart();
            return (request with { Type = AuditEventType.Erased, Address = address, Scope = SuppressionScope.Global, Reason = SuppressionReason.Erasure, Source = SuppressionSource.Api, Changed = true, Evidence = evidence },
                value.Count);
        }, cancellationToken);

        for (var pass = 1; pass < Passes; pass++)
        {
            records += await BlankAsync(address, keys, cancellationToken);
        }

        await ForgetRejectedFeedbackAsync(address, cancellationToken);
        await ForgetReviewedFeedbackAsync(address, cancellationToken);
        if (_backlog is not null)
        {
            var endpointIds = _webhooks!.Subscriptions.Select(subscription => subscription.EndpointId).ToList();
            await _backlog.RedactAsync(endpointIds, addressHash, cancellationToken);
            await _backlog.RedactDeadLettersAsync(endpointIds, addressHash, cancellationToken);
        }

        return new ErasureResult(addressHash, records, entries);
    }

    // The chains hold exact spellings; the ones of this mailbox are found by their match key.
    private async Task<long> BlankAsync(NormalizedAddress address, AuditChainKeys keys, CancellationToken cancellationToken)
    {
        var spellings = new HashSet<string>(StringComparer.Ordinal) { address.Value };
        foreach (var list in new[] { keys.Changes, keys.Blocked })
        {
            foreach (var element in await _database.ListRangeAsync(list).WaitAsync(cancellationToken))
            {
                if (AuditElement.TrySplit(element!, out var parts)
                    && parts.Address is { } stored
                    && AddressNormalizer.TryNormalize(stored, out var normalized, out _)
                    && _layout.AddressRules.MatchKeyOf(normalized) == _layout.AddressRules.MatchKeyOf(address))
                {
                    spellings.Add(stored);
                }
            }
        }

        var changed = await _database.ScriptEvaluateAsync(
            RedisScripts.EraseAddresses, [keys.Changes, keys.Blocked], spellings.Select(spelling => (RedisValue)spelling).ToArray()).WaitAsync(cancellationToken);
        return (long)changed;
    }

    private static bool Mentions(string report, string address)
    {
        try
        {
            using var document = JsonDocument.Parse(report);
            return document.RootElement.ToString().Contains(address, StringComparison.OrdinalIgnoreCase)
                || (document.RootElement.TryGetProperty("message", out var message)
                    && message.GetString()?.Contains(address, StringComparison.OrdinalIgnoreCase) == true);
        }
        catch (JsonException)
        {
            return report.Contains(address, StringComparison.OrdinalIgnoreCase);
        }
    }

    // A held report keeps the remote server's words whole for the person deciding, so the mailbox's
    // recipients (every spelling, by match key) leave it; the others' verdicts stay for review unless
    // their words or the report's ids mention the address too. Items and order share a cluster slot.
    private async Task ForgetReviewedFeedbackAsync(NormalizedAddress address, CancellationToken cancellationToken)
    {
        var matchKey = _layout.AddressRules.MatchKeyOf(address);
        await foreach (var field in _database.HashScanAsync(_layout.FeedbackReviewItemsKey).WithCancellation(cancellationToken))
        {
            if (JsonSerializer.Deserialize<FeedbackReviewItem>(field.Value.ToString(), RedisFeedbackReview.Json) is not { } item)
            {
                continue;
            }

            var spellings = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { address.Value, matchKey };
            var kept = new List<ReviewedRecipient>(item.Recipients.Count);
            foreach (var recipient in item.Recipients)
            {
                if (AddressNormalizer.TryNormalize(recipient.Address, out var normalized, out _) && _layout.AddressRules.MatchKeyOf(normalized) == matchKey)
                {
                    spellings.Add(recipient.Address);
                }
                else
                {
                    kept.Add(recipient);
                }
            }

            var remaining = item with { Recipients = kept };
            var mentioned = Texts(remaining).Any(text => spellings.Any(spelling => text.Contains(spelling, StringComparison.OrdinalIgnoreCase)));
            if (kept.Count == item.Recipients.Count && !mentioned)
            {
                continue;
            }

            var transaction = _database.CreateTransaction();
            if (kept.Count == 0 || mentioned)
            {
                _ = transaction.HashDeleteAsync(_layout.FeedbackReviewItemsKey, field.Name);
                _ = transaction.SortedSetRemoveAsync(_layout.FeedbackReviewOrderKey, field.Name);
            }
            else
            {
                // Only if nobody applied or dismissed it meanwhile: that would bring it back.
                transaction.AddCondition(Condition.HashEqual(_layout.FeedbackReviewItemsKey, field.Name, field.Value));
                _ = transaction.HashSetAsync(_layout.FeedbackReviewItemsKey, field.Name, JsonSerializer.Serialize(remaining, RedisFeedbackReview.Json));
            }

            await transaction.ExecuteAsync().WaitAsync(cancellationToken);
        }
    }

    private static IEnumerable<string> Texts(FeedbackReviewItem item) =>
        new[] { item.ReportMessageId, item.OriginalMessageId }
            .Concat(item.Recipients.SelectMany(recipient => new[] { recipient.Address, recipient.Status, recipient.Diagnostic, recipient.Evidence }))
            .OfType<string>();

    private async Task ForgetRejectedFeedbackAsync(NormalizedAddress address, CancellationToken cancellationToken)
    {
        foreach (var report in await _database.ListRangeAsync(_layout.RejectedFeedbackKey).WaitAsync(cancellationToken))
        {
            // The kept mail is JSON-escaped ('+' is \u002B), so it is compared as the text it stands for.
            if (Mentions(report!, address.Value) || Mentions(report!, _layout.AddressRules.MatchKeyOf(address)))
            {
                await _database.ListRemoveAsync(_layout.RejectedFeedbackKey, report).WaitAsync(cancellationToken);
            }
        }
    }
}
