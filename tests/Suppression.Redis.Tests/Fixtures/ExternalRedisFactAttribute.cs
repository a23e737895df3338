namespace Suppression.Redis.Tests.Fixtures;

/// <summary>A fact that is reported as skipped, with the reason, when no real Redis is configured.</summary>
public sealed class ExternalRedisFactAttribute : FactAttribute
{
    public ExternalRedisFactAttribute()
    {
        if (RedisBackendsFixture.ExternalConfiguration is null)
        {
            Skip = $"{RedisBackendsFixture.ExternalRedisVariable} (host:port) is not set: the store and log tests ran against the embedded Garnet server only.";
        }
    }
}
