using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Delivery;

// One set per message (RedisKeyLayout.AcceptedCopiesKey) holding a digest of each recipient whose
// copy was accepted. Errors propagate: the relay decides whether to send every copy again (a
// duplicate is acceptable, DESIGN.md) or to defer. Both calls are on every message's path, so they
// go through the Redis pipelines: a hung Redis costs a bounded wait, not the client's timeout.
public sealed class RedisAcceptedCopies : IAcceptedCopies
{
    private readonly IDatabase database;
    private readonly RedisKeyLayout layout;
    private readonly long retryWindowMilliseconds;
    private readonly RedisResilience resilience;

    public RedisAcceptedCopies(IConnectionMultiplexer connection, RedisKeyLayout layout, TimeSpan? retryWindow = null, RedisResilience? resilience = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(layout);
        var window = retryWindow ?? DefaultRetryWindow;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1), nameof(retryWindow));
        database = connection.GetDatabase();
        this.layout = layout;
        retryWindowMilliseconds = (long)window.TotalMilliseconds;
        this.resilience = resilience ?? RedisResilience.Unreported();
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
        var found = await resilience.LookupAsync(
            static async (state, token) => await state.Database.SetContainsAsync(state.Key, state.Members).WaitAsync(token),
            (Database: database, Key: key, Members: members),
            cancellationToken);

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
        RedisValue[] arguments = [layout.AcceptedCopyMember(recipient), retryWindowMilliseconds];
        await resilience.WriteAsync(
            static async (state, token) => await state.Database.ScriptEvaluateAsync(RedisScripts.MarkAccepted, [state.Key], state.Arguments).WaitAsync(token),
            (Database: database, Key: key, Arguments: arguments),
            cancellationToken);
    }
}
