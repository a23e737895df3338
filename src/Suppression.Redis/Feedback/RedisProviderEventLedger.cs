using StackExchange.Redis;
using Suppression.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;

namespace Suppression.Redis.Feedback;

/// <summary>One key per id taken, set only when absent (<c>SET NX</c>) and left to expire.</summary>
public sealed class RedisProviderEventLedger(IConnectionMultiplexer connection, RedisKeyLayout layout) : IProviderEventLedger
{
    private readonly IDatabase _database = connection.GetDatabase();

    public Task<bool> TryRecordAsync(string kind, string id, TimeSpan retention, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(
            _database.StringSetAsync(layout.ProviderEventKey(kind, id), 1, retention, When.NotExists).WaitAsync(cancellationToken));

    public Task ForgetAsync(string kind, string id, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(_database.KeyDeleteAsync(layout.ProviderEventKey(kind, id)).WaitAsync(cancellationToken));

    public Task KeepAsync(string kind, string id, TimeSpan retention, CancellationToken cancellationToken) =>
        RedisResilience.TranslateFailuresAsync(_database.KeyExpireAsync(layout.ProviderEventKey(kind, id), retention).WaitAsync(cancellationToken));
}
