using StackExchange.Redis;
using Suppression.Redis.Connection;
using Suppression.Redis.Embedded;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Tests.Fixtures;

// Starts the embedded Garnet server once per test run, and connects to a real Redis too when
// SUPPRESSION_TEST_REDIS (host:port) is set. Each run uses its own key prefix and deletes its keys
// at the end, so a shared Redis is never flushed and parallel runs cannot see each other's data.
public sealed class RedisBackendsFixture : IAsyncLifetime
{
    public const string EmbeddedName = "garnet";
    public const string ExternalName = "redis";
    public const string ExternalRedisVariable = "SUPPRESSION_TEST_REDIS";

    private readonly Dictionary<string, RedisBackend> backends = new(StringComparer.Ordinal);
    private readonly string dataDirectory = TestDirectories.Create("fixture");
    private readonly RedisKeyLayout layout = new("suptest-" + Guid.NewGuid().ToString("N")[..12] + ":");
    private EmbeddedRedisServer? server;

    public static string? ExternalConfiguration => Environment.GetEnvironmentVariable(ExternalRedisVariable) is { Length: > 0 } endpoint ? endpoint : null;

    // The backends a [Theory] runs against: always the embedded server, a real Redis when configured.
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string> { EmbeddedName };
            if (ExternalConfiguration is not null)
            {
                names.Add(ExternalName);
            }

            return names;
        }
    }

    public RedisBackend this[string name] => backends[name];

    public async Task InitializeAsync()
    {
        server = await EmbeddedRedisServer.StartAsync(dataDirectory, loggerFactory: null, CancellationToken.None);
        var embedded = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None);
        backends[EmbeddedName] = new RedisBackend(EmbeddedName, embedded, layout);

        if (ExternalConfiguration is { } configuration)
        {
            var external = await RedisConnectionFactory.ConnectAsync(configuration, CancellationToken.None);
            backends[ExternalName] = new RedisBackend(ExternalName, external, layout);
        }
    }

    public async Task DisposeAsync()
    {
        if (backends.TryGetValue(ExternalName, out var external))
        {
            // Key by key, from the primaries only: in a cluster one DEL may not span slots, and a
            // replica lists the same keys as its primary.
            var database = external.Connection.GetDatabase();
            foreach (var endpoint in external.Connection.GetEndPoints())
            {
                var server = external.Connection.GetServer(endpoint);
                if (server.IsReplica || !server.IsConnected)
                {
                    continue;
                }

                var deletes = new List<Task>();
                await foreach (var key in server.KeysAsync(pattern: layout.Prefix + "*"))
                {
                    deletes.Add(database.KeyDeleteAsync(key));
                }

                await Task.WhenAll(deletes);
            }
        }

        foreach (var backend in backends.Values)
        {
            await backend.Connection.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        TestDirectories.Delete(dataDirectory);
    }
}
