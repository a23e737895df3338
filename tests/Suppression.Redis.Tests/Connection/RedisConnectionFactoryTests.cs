using Suppression.Redis.Connection;

namespace Suppression.Redis.Tests.Connection;

public sealed class RedisConnectionFactoryTests
{
    [Fact]
    public void Connection_does_not_abort_when_redis_is_down_at_start()
    {
        var options = RedisConnectionFactory.CreateOptions("redis.internal:6379,abortConnect=true");

        Assert.False(options.AbortOnConnectFail);
    }

    [Fact]
    public void Timeouts_and_client_name_have_defaults()
    {
        var options = RedisConnectionFactory.CreateOptions("redis.internal:6379");

        Assert.Equal(3000, options.ConnectTimeout);
        Assert.Equal(3000, options.SyncTimeout);
        Assert.Equal(3000, options.AsyncTimeout);
        Assert.Equal(RedisConnectionFactory.DefaultClientName, options.ClientName);
    }

    [Fact]
    public void Timeouts_and_client_name_in_the_configuration_string_win()
    {
        var options = RedisConnectionFactory.CreateOptions("redis.internal:6379, connectTimeout=1500,SyncTimeout=700,asyncTimeout=900,name=blue");

        Assert.Equal(1500, options.ConnectTimeout);
        Assert.Equal(700, options.SyncTimeout);
        Assert.Equal(900, options.AsyncTimeout);
        Assert.Equal("blue", options.ClientName);
    }
}
