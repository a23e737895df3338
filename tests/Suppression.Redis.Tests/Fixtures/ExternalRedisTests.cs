namespace Suppression.Redis.Tests.Fixtures;

[Collection(RedisBackendsDefinition.Name)]
public sealed class ExternalRedisTests(RedisBackendsFixture backends)
{
    [ExternalRedisFact]
    public async Task External_redis_from_environment_is_reachable_and_among_the_backends()
    {
        var connection = backends[RedisBackendsFixture.ExternalName].Connection;

        Assert.True(await connection.GetDatabase().PingAsync() < TimeSpan.FromSeconds(1));
        Assert.Contains<object[]>(RedisBackendsFixture.Names, row => Equals(row[0], RedisBackendsFixture.ExternalName));
    }
}
