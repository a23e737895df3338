using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Delivery;

// One set per message (RedisKeyLayout.AcceptedCopiesKey) holding a digest of each recipient whose
// copy was accepted. Errors propagate: the relay decides whether to send every copy again (a
// duplicate is acceptable, DESIGN.md) or to defer.
public sealed class RedisAcceptedCopies : IAcceptedCopies
{
    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;
    private readonly long retryWindowMilliseconds;

    public RedisAcceptedCopies(IConnectionMultiplexer connection, RedisKeyLayout layout, TimeSpan? retryWindow = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        var window = retryWindow ?? DefaultRetryWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1), nameof(retryWindow));
        database = connection.GetDatabase();
        this.layout = layout;
        retryWindowMilliseconds = (long)window.TotalMilliseconds;
    }

    // Clients give up on a message after 4-5 days (RFC 5321 4.5.4.1), so no retry comes later.
    public static TimeSpan DefaultRetryWindow { get; } = TimeSpan.FromDays(5);

    public async Task<IReadOnlySet<string>> GetAcceptedAsync(string messageKey, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var key = layout.AcceptedCopiesKey(messageKey);
        cancellationToken.ThrowIfCancellationRequested();
        if (recipients.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var members = new RedisValue[recipients.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = layout.AcceptedCopyMember(recipients[i]);
        }

        // SMISMEMBER (Redis 6.2+, and Garnet): every recipient in one command and one round trip.
        var found = await database.SetContainsAsync(key, members).WaitAsync(cancellationToken);

        var accepted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i])
            {
                accepted.Add(recipients[i].Value);
            }
        }

        return accepted;
    }

    public async Task MarkAcceptedAsync(string messageKey, NormalizedAddress recipient, CancellationToken cancellationToken)
    {
        var key = layout.AcceptedCopiesKey(messageKey);
        await database.ScriptEvaluateAsync(
            RedisScripts.MarkAccepted,
            [key],
            [layout.AcceptedCopyMember(recipient), retryWindowMilliseconds])
            .WaitAsync(cancellationToken);
    }
}
