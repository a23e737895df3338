using System.Text.Json;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Feedback;

public sealed class RedisFeedbackStore : IFeedbackStore
{
    private const int KeptReports = 1000;

    // A report is kept whole up to this size; the rest is cut, as the start says what it is.
    private const int MaxKeptBytes = 64 * 1024;

    private readonly IDatabase _database;
    private readonly RedisKeyLayout _layout;

    public RedisFeedbackStore(IConnectionMultiplexer connection, RedisKeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        _database = connection.GetDatabase();
        _layout = layout;
    }

    public Task<long> CountSoftBounceAsync(NormalizedAddress address, TimeSpan window, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(CountSoftBounceUntranslatedAsync(address, window, cancellationToken));

    private async Task<long> CountSoftBounceUntranslatedAsync(NormalizedAddress address, TimeSpan window, CancellationToken cancellationToken)
    {
        var result = await _database.ScriptEvaluateAsync(RedisScripts.CountSoftBounce, [_layout.SoftBounceKey(address)], [(long)window.TotalMilliseconds])
            .WaitAsync(cancellationToken);
        return (long)result;
    }

    public Task<bool> KeepRejectedAsync(
        DateTimeOffset time, string clientAddress, string source, int maxPerSource, TimeSpan window, string reason, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(KeepRejectedUntranslatedAsync(time, clientAddress, source, maxPerSource, window, reason, message, cancellationToken));

    private async Task<bool> KeepRejectedUntranslatedAsync(
        DateTimeOffset time, string clientAddress, string source, int maxPerSource, TimeSpan window, string reason, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // The soft-bounce script is a counter whose window starts with its first count: the same is
        // wanted here. Counted first and kept after, as two steps: the counter and the list are in
        // different cluster slots, and a report counted but then not kept (a failure between) errs
        // on the side of keeping less.
        var kept = (long)await _database.ScriptEvaluateAsync(
            RedisScripts.CountSoftBounce, [_layout.KeptFeedbackCounterKey(source)], [(long)window.TotalMilliseconds]).WaitAsync(cancellationToken);
        if (kept > maxPerSource)
        {
            return false;
        }

        var record = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["time"] = time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["clientIp"] = clientAddress,
            ["reason"] = reason,
            ["message"] = System.Text.Encoding.UTF8.GetString(message.Span[..Math.Min(message.Length, MaxKeptBytes)]),
        });
        var batch = _database.CreateBatch();
        var push = batch.ListRightPushAsync(_layout.RejectedFeedbackKey, record);
        var trim = batch.ListTrimAsync(_layout.RejectedFeedbackKey, -KeptReports, -1);
        batch.Execute();
        await Task.WhenAll(push, trim).WaitAsync(cancellationToken);
        return true;
    }
}
