namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// The Redis-protocol servers the integration tests run against: always the embedded Garnet
/// server, and a real Redis too when SUPPRESSION_TEST_REDIS (host:port) is set, as CI does.
/// </summary>
public static class Backends
{
    public const string Embedded = "embedded";
    public const string Redis = "redis";

    public static string? ExternalRedis => Environment.GetEnvironmentVariable("SUPPRESSION_TEST_REDIS") is { Length: > 0 } value ? value : null;

    /// <summary>
    /// The cluster that tests fail over (SUPPRESSION_TEST_REDIS_FAILOVER, else SUPPRESSION_TEST_REDIS).
    /// A cluster of its own in CI: the other test projects run at the same time against
    /// SUPPRESSION_TEST_REDIS, and a client that wrote to a primary just demoted would hear READONLY.
    /// </summary>
    public static string? FailoverRedis => Environment.GetEnvironmentVariable("SUPPRESSION_TEST_REDIS_FAILOVER") is { Length: > 0 } value ? value : ExternalRedis;

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { Embedded };
            if (ExternalRedis is not null)
            {
                data.Add(Redis);
            }

            return data;
        }
    }
}
