using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Suppressions;

/// <summary>What an upgrade pass found and did.</summary>
/// <param name="Mailboxes">Fields seen.</param>
/// <param name="Converted">Text values rewritten as compact.</param>
/// <param name="AlreadyCompact">Values that were compact already (written since the marker, or by an earlier pass).</param>
/// <param name="KeptAsText">Values left as text because they hold something the compact form cannot (see <see cref="BucketValue.Format"/>).</param>
public sealed record StorageUpgradeResult(StorageFormat Format, long Mailboxes, long Converted, long AlreadyCompact, long KeptAsText);

/// <summary>
/// Moves a store from the text format to the compact one: sets the format marker, so every gateway
/// writes compact from its next write on, then rewrites every text value, a window of buckets per
/// round trip, each value by compare-and-set so a change made meanwhile is never overwritten. Safe
/// to run again (it converts what is left) and to interrupt; lookups read both formats throughout.
/// Run it only when every gateway against the store runs a version that reads the compact format:
/// an older one would read a compact value as no entry (docs/operations.md, upgrades).
/// </summary>
public sealed class RedisStorageUpgrade
{
    private const int BucketWindow = 256;

    // Conversions are pipelined, and awaited once this many are under way.
    private const int MaxWritesInFlight = 1024;
    private const int MaxAttempts = 16;

    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;

    public RedisStorageUpgrade(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        database = connection.GetDatabase();
        this.layout = layout;
    }

    public async Task<StorageUpgradeResult> RunAsync(CancellationToken cancellationToken)
    {
        await StorageFormatMarker.SetAsync(database, layout, StorageFormat.Compact).WaitAsync(cancellationToken);
        var tally = new Tally();
        var writes = new List<Task<StorageFormat?>>();
        await foreach (var (key, fields) in BucketWalk.AllAsync(database, layout, BucketWindow, cancellationToken))
        {
            foreach (var field in fields)
            {
                tally.Mailboxes++;
                if (BucketValue.FormatOf(field.Value) == StorageFormat.Compact)
                {
                    tally.AlreadyCompact++;
                }
                else
                {
                    writes.Add(ConvertAsync(key, field.Name, field.Value));
                }
            }

            if (writes.Count >= MaxWritesInFlight)
            {
                await tally.AddAsync(writes, cancellationToken);
            }
        }

        await tally.AddAsync(writes, cancellationToken);
        return new StorageUpgradeResult(StorageFormat.Compact, tally.Mailboxes, tally.Converted, tally.AlreadyCompact, tally.KeptAsText);
    }

    /// <returns>The format the value ends in, or null when the field was deleted meanwhile.</returns>
    private async Task<StorageFormat?> ConvertAsync(RedisKey key, RedisValue field, RedisValue current)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (current.IsNullOrEmpty)
            {
                return null;
            }

            var rewritten = BucketValue.Parse(current).Format(StorageFormat.Compact);
            if (BucketValue.FormatOf(rewritten) != StorageFormat.Compact)
            {
                return StorageFormat.Text;
            }

            if ((long)await database.ScriptEvaluateAsync(RedisScripts.ReplaceField, [key], [field, current, rewritten]) == 1)
            {
                return StorageFormat.Compact;
            }

            if (attempt == MaxAttempts)
            {
                throw new RedisException($"Storage upgrade: gave up on a mailbox after {MaxAttempts} concurrent changes won the race; run the upgrade again.");
            }

            // A writer changed it; after the marker that writer wrote compact, and there is nothing to do.
            current = await database.HashGetAsync(key, field);
            if (BucketValue.FormatOf(current) == StorageFormat.Compact)
            {
                return StorageFormat.Compact;
            }
        }
    }

    private sealed class Tally
    {
        public long Mailboxes { get; set; }

        public long Converted { get; private set; }

        public long AlreadyCompact { get; set; }

        public long KeptAsText { get; private set; }

        public async Task AddAsync(List<Task<StorageFormat?>> writes, CancellationToken cancellationToken)
        {
            foreach (var write in writes)
            {
                switch (await write.WaitAsync(cancellationToken))
                {
                    case StorageFormat.Compact:
                        Converted++;
                        break;
                    case StorageFormat.Text:
                        KeptAsText++;
                        break;
                    default:
                        // Deleted meanwhile: not a mailbox any more.
                        Mailboxes--;
                        break;
                }
            }

            writes.Clear();
        }
    }
}
