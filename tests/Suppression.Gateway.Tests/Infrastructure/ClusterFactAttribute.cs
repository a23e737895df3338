using StackExchange.Redis;
using Suppression.Redis.Connection;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// A test that changes the shape of a Redis Cluster (a failover); skipped, saying why, unless
/// SUPPRESSION_TEST_REDIS_FAILOVER or SUPPRESSION_TEST_REDIS names one (<see cref="Backends.FailoverRedis"/>), as CI's do. A single server or an unset variable is a skip;
/// a cluster that cannot be reached is not: the test runs and says so.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> SkipReason = new(FindSkipReason);

    public ClusterFactAttribute()
    {
        Skip = SkipReason.Value;
    }

    private static string? FindSkipReason()
    {
        if (Backends.FailoverRedis is not { } configuration)
        {
            return "SUPPRESSION_TEST_REDIS is not set: this test needs a Redis Cluster with replicas (.ci/run starts one).";
        }

        using var connection = ConnectionMultiplexer.Connect(RedisConnectionFactory.CreateOptions(configuration));
        var reachable = connection.GetServers().Where(server => server.IsConnected).ToList();
        if (reachable.Count == 0 || reachable.Any(server => server.ServerType == ServerType.Cluster))
        {
            return null;
        }

        return $"SUPPRESSION_TEST_REDIS ({configuration}) is a Redis server without cluster mode: this test needs a Redis Cluster with replicas (.ci/run starts one).";
    }
}
