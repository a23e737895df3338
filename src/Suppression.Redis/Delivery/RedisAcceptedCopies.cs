using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;

namespace Suppression.Redis.Delivery;

// One set per message (RedisKeyLayout.AcceptedCopiesKey) holding a digest of each recipient whose
// copy was accepted (MessageRecipientSet). Errors propagate: the relay decides whether to send
// every copy again (a duplicate is acceptable, docs/design.md, delivery semantics) or to defer.
public sealed class RedisAcceptedCopies : IAcceptedCopies
{
    private readonly RedisKeyLayout _layout;
    private readonly MessageRecipientSet _sets;

    public RedisAcceptedCopies(IConnectionMultiplexer connection, RedisKeyLayout layout, TimeSpan? retryWindow = null, RedisResilience? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        var window = retryWindow ?? DefaultRetryWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1), nameof(retryWindow));
        _layout = layout;
        _sets = new MessageRecipientSet(connection.GetDatabase(), layout, (long)window.TotalMilliseconds, resilience ?? RedisResilience.Unreported());
    }

    // Clients give up on a message after 4-5 days (RFC 5321 4.5.4.1), so no retry comes later.
    public static TimeSpan DefaultRetryWindow { get; } = TimeSpan.FromDays(5);

    public Task<IReadOnlySet<string>> GetAcceptedAsync(string messageKey, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken) =>
        _sets.ContainsAsync(_layout.AcceptedCopiesKey(messageKey), recipients, cancellationToken);

    public Task MarkAcceptedAsync(string messageKey, NormalizedAddress recipient, CancellationToken cancellationToken) =>
        _sets.AddAsync(_layout.AcceptedCopiesKey(messageKey), recipient, cancellationToken);
}
