using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Policy;

/// <summary>A suppression list held in a dictionary by match key (as the Redis store keys it), or one that is unreachable.</summary>
internal sealed class InMemorySuppressionStore : ISuppressionStore
{
    private readonly Dictionary<string, List<SuppressionEntry>> _entries = new(StringComparer.Ordinal);

    public bool Unreachable { get; set; }

    /// <summary>The audit records written with the changes, in order.</summary>
    public List<AuditRecord> Records { get; } = [];

    public Task<IReadOnlyList<SuppressionEntry>[]> GetEntriesAsync(IReadOnlyList<NormalizedAddress> addresses, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            throw new IOException("connection refused");
        }

        return Task.FromResult(addresses
            .Select(address => (IReadOnlyList<SuppressionEntry>)(_entries.TryGetValue(AddressVariantRules.Default.MatchKeyOf(address), out var entries) ? entries : []))
            .ToArray());
    }

    public Task<bool> AddAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken)
    {
        if (!_entries.TryGetValue(AddressVariantRules.Default.MatchKeyOf(address), out var entries))
        {
            _entries[AddressVariantRules.Default.MatchKeyOf(address)] = entries = [];
        }

        entries.Add(entry);
        Records.Add(record with { Address = address, Changed = true });
        return Task.FromResult(true);
    }

    public Task<AuditPosition?> AddAndLocateAsync(NormalizedAddress address, SuppressionEntry entry, AuditRecord record, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> RemoveAsync(NormalizedAddress address, SuppressionScope? scope, AuditRecord record, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<RevertOutcome> RevertAsync(NormalizedAddress address, SuppressionScope scope, AuditPosition added, AuditRecord record, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => Task.FromResult(!Unreachable);
}
