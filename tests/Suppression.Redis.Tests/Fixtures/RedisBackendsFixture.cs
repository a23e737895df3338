using StackExchange.Redis;
using Suppression.Redis.Connection;
using Suppression.Redis.Embedded;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;

namespace Suppression.Redis.Tests.Fixtures;

// Starts the embedded Garnet server once per test run, and connects to a real Redis too when
// SUPPRESSION_TEST_REDIS (host:port) is set. Each run uses its own key prefix and deletes its keys
// at the end, so a shared Redis is never flushed and parallel runs cannot see each other's data.
public sealed class RedisBackendsFixture : IAsyncLifetime
{
    public const string EmbeddedName = "garnet";
    public const string ExternalName = "redis";
    public const string ExternalRedisVariable = "SUPPRESSION_TEST_REDIS";

    /// <summary>The suffix of a backend whose store is marked compact (suppression-v2): "garnet/compact".</summary>
    public const string CompactSuffix = "/compact";

    /// <summary>The suffix of a backend whose store is marked hashed (suppression-v3): "garnet/hashed".</summary>
    public const string HashedSuffix = "/hashed";

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

    // The same servers, each also with prefixes whose format marker says compact and hashed: for
    // the tests that must hold in every stored format.
    public static TheoryData<string> NamesInEveryFormat
    {
        get
        {
            var names = new TheoryData<string> { EmbeddedName, EmbeddedName + CompactSuffix, EmbeddedName + HashedSuffix };
            if (ExternalConfiguration is not null)
            {
                names.Add(ExternalName);
                names.Add(ExternalName + CompactSuffix);
                names.Add(ExternalName + HashedSuffix);
            }

            return names;
        }
    }

    public RedisBackend this[string name] => backends[name];

    public async Task InitializeAsync()
    {
        server = await EmbeddedRedisServer.StartAsync(dataDirectory, loggerFactory: null, CancellationToken.None);
        var embedded = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None);
        await AddAsync(EmbeddedName, embedded);

        if (ExternalConfiguration is { } configuration)
        {
            var external = await RedisConnectionFactory.ConnectAsync(configuration, CancellationToken.None);
            await AddAsync(ExternalName, external);
        }
    }

    // The compact and hashed prefixes lie under the run's prefix, so the clean-up below deletes their keys too.
    private async Task AddAsync(string name, ConnectionMultiplexer connection)
    {
        backends[name] = new RedisBackend(name, connection, layout);
        foreach (var (suffix, format, prefix) in new[] { (CompactSuffix, StorageFormat.Compact, "c:"), (HashedSuffix, StorageFormat.Hashed, "x:") })
        {
            var marked = new RedisKeyLayout(layout.Prefix + prefix);
            await StorageFormatMarker.SetAsync(connection.GetDatabase(), marked, format);
            backends[name + suffix] = new RedisBackend(name + suffix, connection, marked, format);
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

        foreach (var connection in backends.Values.Select(backend => backend.Connection).Distinct())
        {
            await connection.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }

        TestDirectories.Delete(dataDirectory);
    }
}
