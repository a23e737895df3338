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
