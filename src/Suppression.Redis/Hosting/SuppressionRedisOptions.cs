using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Hosting;

/// <summary>The store's keys at the top of the <c>Suppression</c> section (docs/design.md, configuration).</summary>
public sealed class SuppressionRedisOptions
{
    /// <summary>StackExchange.Redis configuration string; empty starts the embedded server.</summary>
    public string? Redis { get; set; }

    /// <summary>The start of every key the gateway writes, so several gateways (or environments) can share one Redis.</summary>
    public string RedisKeyPrefix { get; set; } = RedisKeyLayout.DefaultPrefix;

    /// <summary>
    /// The format a store that has never been written to is marked with at start-up: Compact, or
    /// Hashed (no addresses kept: exports give mailbox keys). A store with data keeps its own
    /// (docs/operations.md, the stored format).
    /// </summary>
    public StorageFormat NewStoreFormat { get; set; } = StorageFormat.Compact;

    public RedisResilienceOptions RedisResilience { get; set; } = new();
}
