using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Redis.Audit;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Telemetry;
using Suppression.Suppressions;

namespace Suppression.Redis.Suppressions;

// Redis errors (connection, timeout, server, an open circuit) propagate from lookups and writes on
// purpose, as a SuppressionStoreUnavailableException: the SMTP side answers 451 and the client
// retries, which is the fail-closed behaviour docs/design.md requires (delivery semantics). Lookups
// go through the resilience pipeline (budget, retries, breaker).
// Cancellation stops the wait, not the command: a write may still land, which is harmless because
// adds are idempotent per scope.
public sealed class RedisSuppressionStore : ISuppressionStore
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(1);

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;
    private readonly AuditedChangeWriter _audit;
    private readonly RedisResilience _resilience;

    public RedisSuppressionStore(IConnectionMultiplexer connection, RedisKeyLayout layout, AuditedChangeWriter audit, RedisResilience? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(audit);
        _database = connection.GetDatabase();
        _layout = layout;
        _audit = audit;
        _resilience = resilience ?? RedisResilience.Unreported();
    }

    public async Task<IReadOnlyList<SuppressionEntry>[]> GetEntriesAsync(IReadOnlyList<NormalizedAddress> addresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        cancellationToken.ThrowIfCancellationRequested();
        if (addresses.Count == 0)
        {
            return [];
        }

        try
        {
            return await _resilience.LookupAsync(
                static (state, token) => state.Store.ReadEntriesAsync(state.Addresses, token), (Store: this, Addresses: addresses), cancellationToken);
        }
        catch (Exception exception) when (RedisTelemetry.CountError(RedisTelemetry.Lookup, exception))
        {
            throw;
        }
    }

    private async ValueTask<IReadOnlyList<SuppressionEntry>[]> ReadEntriesAsync(IReadOnlyList<NormalizedAddress> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 1)
        {
            // The common case (one RCPT): a plain HGET is the same single round trip without the batch.
            var only = _layout.Locate(addresses[0]);
            return [BucketValue.ReadEntries(await _database.HashGetAsync(only.BucketKey, only.Field).WaitAsync(cancellationToken))];
        }

        // A batch writes every HGET before reading any reply: one round trip for the whole
        // transaction's recipients, whatever their number.
        var batch = _database.CreateBatch();
        var lookups = new Task<RedisValue>[addresses.Count];
        for (var i = 0; i < lookups.Length; i++)
        {
            var slot = _layout.Locate(addresses[i]);
            lookups[i] = batch.HashGetAsync(slot.BucketKey, slot.Field);
        }

        batch.Execute();
        await Task.WhenAll(lookups).WaitAsync(cancellationToken);

        var entries = new IReadOnlyList<SuppressionEntry>[lookups.Length];
        for (var i = 0; i < lookups.Length; i++)
        {
            entries[i] = BucketValue.ReadEntries(await lookups[i]);
        }

        return entries;
    }

    public Task<bool> AddAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(record);
        return _audit.AppendAsync(_layout.Locate(address), blocked: false, value =>
        {
            var added = value.TryAdd(entry);
            value.RememberAddress(address);
            return (record with { Address = address, Changed = added }, added);
        }, cancellationToken);
    }

    public async Task<AuditPosition?> AddAndLocateAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(record);
        var slot = _layout.Locate(address);
        var (added, sequence) = await _audit.AppendReviewedAsync(slot, blocked: false, reviewAfter: null, (value, _) =>
        {
            var added = value.TryAdd(entry);
            value.RememberAddress(address);
            return (record with { Address = address, Changed = added }, added);
        }, cancellationToken);
        return added && sequence is { } written ? new AuditPosition(AuditChain.Changes(slot.Bucket).Name, written) : null;
    }

    public async Task<RevertOutcome> RevertAsync(NormalizedAddress address, SuppressionScope scope, AuditPosition added, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(record);
        var slot = _layout.Locate(address);
        if (added.Chain != AuditChain.Changes(slot.Bucket).Name)
        {
            // Not a record of this mailbox's chain: it cannot have added this mailbox's entry.
            return RevertOutcome.NothingToRevert;
        }

        var addressHash = _audit.Key.AddressHash(address);
        var scopeName = scope.ToString();
        var (outcome, _) = await _audit.AppendReviewedAsync(slot, blocked: false, reviewAfter: added.Sequence, (value, newer) =>
        {
            if (!value.HasScope(scope))
            {
                return (null, RevertOutcome.NothingToRevert);
            }

            // A request that names no scope may have been for this one.
            if (newer.Any(entry => entry.AddressHash == addressHash
                && (entry.Scope == scopeName || (entry.Scope is null && entry.Type is AuditEventType.Suppressed or AuditEventType.Widened))))
            {
                return (null, RevertOutcome.Superseded);
            }

            value.Remove(scope);
            return (record with { Address = address, Changed = true }, RevertOutcome.Reverted);
        }, cancellationToken);
        return outcome;
    }

    public Task<int> RemoveAsync(NormalizedAddress address, SuppressionScope? scope, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _audit.AppendAsync(_layout.Locate(address), blocked: false, value =>
        {
            var removed = value.Remove(scope);
            return (removed == 0 ? null : record with { Address = address, Changed = true }, removed);
        }, cancellationToken);
    }

    public async Task<bool> IsAvailableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.PingAsync().WaitAsync(PingTimeout, cancellationToken);
            return true;
        }
        catch (Exception exception) when (RedisResilience.Translate(exception) is not null)
        {
            // RedisTimeoutException is a TimeoutException, as is the WaitAsync deadline.
            return false;
        }
    }
}
