using StackExchange.Redis;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Suppressions;

/// <summary>What an upgrade pass found and did.</summary>
/// <param name="Mailboxes">Fields seen.</param>
/// <param name="Converted">Values rewritten in the new format.</param>
/// <param name="AlreadyInFormat">Values in the new format already (written since the marker, or by an earlier pass).</param>
/// <param name="KeptAsText">Values left as text because they hold something the compact form cannot (see <see cref="BucketValue.Format"/>); toward hashed, without their address.</param>
/// <param name="Unreadable">Damaged values, left as they are (a recipient check defers mail to them, <see cref="UnreadableEntryException"/>).</param>
public sealed record StorageUpgradeResult(StorageFormat Format, long Mailboxes, long Converted, long AlreadyInFormat, long KeptAsText, long Unreadable);

/// <summary>
/// Moves a store to a later format (text to compact, or either to hashed): sets the format marker,
/// so every gateway writes the new format from its next write on, then rewrites every value not in
/// it, a window of buckets per round trip, each value by compare-and-set so a change made meanwhile
/// is never overwritten. Safe to run again (it converts what is left) and to interrupt; lookups
/// read every format throughout. Run it only when every gateway against the store runs a version
/// that reads the new format: an older one would read its values as no entry (docs/operations.md,
/// upgrades). A format is never moved back: hashed values have no address to give back.
/// </summary>
public sealed class RedisStorageUpgrade
{
    private const int BucketWindow = 256;

    // Conversions are pipelined, and awaited once this many are under way.
    private const int MaxWritesInFlight = 1024;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;

    public RedisStorageUpgrade(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        _database = connection.GetDatabase();
        _layout = layout;
    }

    /// <exception cref="StorageDowngradeException"><paramref name="target"/> is not later than the store's format.</exception>
    public Task<StorageUpgradeResult> RunAsync(StorageFormat target, CancellationToken cancellationToken) => RedisResilience.TranslateFailuresAsync(RunUntranslatedAsync(target, cancellationToken));

    /// <summary>The format the store is written in now (its marker).</summary>
    public Task<StorageFormat> ReadFormatAsync(CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(StorageFormatMarker.ReadAsync(_database, _layout).WaitAsync(cancellationToken));

    private async Task<StorageUpgradeResult> RunUntranslatedAsync(StorageFormat target, CancellationToken cancellationToken)
    {
        if (target == StorageFormat.Text)
        {
            throw new StorageDowngradeException(await StorageFormatMarker.ReadAsync(_database, _layout).WaitAsync(cancellationToken), target);
        }

        var marked = await StorageFormatMarker.AdvanceAsync(_database, _layout, target).WaitAsync(cancellationToken);
        if (marked != target)
        {
            throw new StorageDowngradeException(marked, target);
        }

        var tally = new Tally();
        var writes = new List<Task<Outcome>>();
        await foreach (var (key, _, fields) in BucketWalk.AllAsync(_database, _layout, BucketWindow, cancellationToken))
        {
            foreach (var field in fields)
            {
                tally.Mailboxes++;
                writes.Add(ConvertAsync(key, field.Name, field.Value, target));
            }

            if (writes.Count >= MaxWritesInFlight)
            {
                await tally.AddAsync(writes, cancellationToken);
            }
        }

        await tally.AddAsync(writes, cancellationToken);
        return new StorageUpgradeResult(target, tally.Mailboxes, tally.Converted, tally.AlreadyInFormat, tally.KeptAsText, tally.Unreadable);
    }

    // A value is in the target format when writing it in that format gives the same bytes.
    private Task<Outcome> ConvertAsync(RedisKey key, RedisValue field, RedisValue current, StorageFormat target) =>
        CompareAndSet.RetryAsync<Outcome>(
            async attempt =>
            {
                if (attempt > 1)
                {
                    // A writer changed it, after the marker, so most likely into the target format already.
                    current = await _database.HashGetAsync(key, field);
                }

                if (current.IsNullOrEmpty)
                {
                    return (true, Outcome.Deleted);
                }

                RedisValue rewritten;
                try
                {
                    rewritten = BucketValue.Parse(current).Format(target);
                }
                catch (UnreadableEntryException)
                {
                    return (true, Outcome.Unreadable);
                }

                if (((ReadOnlyMemory<byte>)rewritten).Span.SequenceEqual(((ReadOnlyMemory<byte>)current).Span))
                {
                    return (true, attempt == 1 ? Outcome.AlreadyInFormat : Outcome.Converted);
                }

                return (long)await _database.ScriptEvaluateAsync(RedisScripts.ReplaceField, [key], [field, current, rewritten]) == 1
                    ? (true, BucketValue.FormatOf(rewritten) == StorageFormat.Text ? Outcome.KeptAsText : Outcome.Converted)
                    : (false, default);
            },
            () => $"Storage upgrade: gave up on a mailbox after {CompareAndSet.MaxAttempts} concurrent changes won the race; run the upgrade again.");

    private enum Outcome
    {
        Converted,
        AlreadyInFormat,
        KeptAsText,
        Unreadable,
        Deleted,
    }

    private sealed class Tally
    {
        public long Mailboxes { get; set; }

        public long Converted { get; private set; }

        public long AlreadyInFormat { get; private set; }

        public long KeptAsText { get; private set; }

        public long Unreadable { get; private set; }

        public async Task AddAsync(List<Task<Outcome>> writes, CancellationToken cancellationToken)
        {
            foreach (var write in writes)
            {
                switch (await write.WaitAsync(cancellationToken))
                {
                    case Outcome.Converted:
                        Converted++;
                        break;
                    case Outcome.AlreadyInFormat:
                        AlreadyInFormat++;
                        break;
                    case Outcome.KeptAsText:
                        KeptAsText++;
                        break;
                    case Outcome.Unreadable:
                        Unreadable++;
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

/// <summary>An upgrade asked for a format that is not later than the store's: formats only move forward.</summary>
public sealed class StorageDowngradeException(StorageFormat current, StorageFormat target)
    : InvalidOperationException(
        target == StorageFormat.Text
            ? "The store cannot be moved to the text format: upgrades go to compact or hashed."
            : $"The store is {current.ToString().ToLowerInvariant()} already; it cannot be moved back to {target.ToString().ToLowerInvariant()} (a hashed store no longer holds the addresses).")
{
    public StorageFormat Current { get; } = current;
}
