using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;

namespace Suppression.Redis.Delivery;

// One set per message (RedisKeyLayout.RecordedBlockedKey) holding a digest of each recipient whose
// blocked delivery is in the audit trail, kept as long as the accepted copies (MessageRecipientSet).
// Errors propagate: the caller records again rather than lose a record.
public sealed class RedisRecordedBlockedDeliveries : IRecordedBlockedDeliveries
{
    private readonly RedisKeyLayout _layout;
    private readonly MessageRecipientSet _sets;

    public RedisRecordedBlockedDeliveries(IConnectionMultiplexer connection, RedisKeyLayout layout, TimeSpan? retryWindow = null, RedisResilience? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        var window = retryWindow ?? RedisAcceptedCopies.DefaultRetryWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1), nameof(retryWindow));
        _layout = layout;
        _sets = new MessageRecipientSet(connection.GetDatabase(), layout, (long)window.TotalMilliseconds, resilience ?? RedisResilience.Unreported());
    }

    public Task<IReadOnlySet<string>> GetRecordedAsync(string messageKey, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken) =>
        _sets.ContainsAsync(_layout.RecordedBlockedKey(messageKey), recipients, cancellationToken);

    public Task MarkRecordedAsync(string messageKey, NormalizedAddress recipient, CancellationToken cancellationToken) =>
        _sets.AddAsync(_layout.RecordedBlockedKey(messageKey), recipient, cancellationToken);
}
