using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Scripts;

namespace Suppression.Redis.Delivery;

// One set per message holding a digest of some of its recipients (RedisKeyLayout.AcceptedCopyMember),
// expiring a retry window after its latest member: what the accepted copies and the recorded
// blocked deliveries of a message both are. Both calls are on every message's path, so they go
// through the Redis pipelines: a hung Redis costs a bounded wait, not the client's timeout.
internal sealed class MessageRecipientSet(IDatabase database, RedisKeyLayout layout, long retryWindowMilliseconds, RedisResilience resilience)
{
    public async Task<IReadOnlySet<string>> ContainsAsync(RedisKey key, IReadOnlyList<NormalizedAddress> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
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

        var contained = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < found.Length; i++)
        {
            if (found[i])
            {
                contained.Add(recipients[i].Value);
            }
        }

        return contained;
    }

    public async Task AddAsync(RedisKey key, NormalizedAddress recipient, CancellationToken cancellationToken)
    {
        RedisValue[] arguments = [layout.AcceptedCopyMember(recipient), retryWindowMilliseconds];
        await resilience.WriteAsync(
            static async (state, token) => await state.Database.ScriptEvaluateAsync(RedisScripts.MarkAccepted, [state.Key], state.Arguments).WaitAsync(token),
            (Database: database, Key: key, Arguments: arguments),
            cancellationToken);
    }
}
