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

    private readonly Dictionary<string, RedisBackend> _backends = new(StringComparer.Ordinal);
    private readonly string _dataDirectory = TestDirectories.Create("fixture");
    private readonly RedisKeyLayout _layout = new("suptest-" + Guid.NewGuid().ToString("N")[..12] + ":");
    private EmbeddedRedisServer? _server;

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

    public RedisBackend this[string name] => _backends[name];

    public async Task InitializeAsync()
    {
        _server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        var embedded = await RedisConnectionFactory.ConnectAsync(_server.ConfigurationString, CancellationToken.None);
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
        _backends[name] = new RedisBackend(name, connection, _layout);
        foreach (var (suffix, format, prefix) in new[] { (CompactSuffix, StorageFormat.Compact, "c:"), (HashedSuffix, StorageFormat.Hashed, "x:") })
        {
            var marked = new RedisKeyLayout(_layout.Prefix + prefix);
            await StorageFormatMarker.SetAsync(connection.GetDatabase(), marked, format);
            _backends[name + suffix] = new RedisBackend(name + suffix, connection, marked, format);
        }
    }

    public async Task DisposeAsync()
    {
        if (_backends.TryGetValue(ExternalName, out var external))
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
                await foreach (var key in server.KeysAsync(pattern: _layout.Prefix + "*"))
                {
                    deletes.Add(database.KeyDeleteAsync(key));
                }

                await Task.WhenAll(deletes);
            }
        }

        foreach (var connection in _backends.Values.Select(backend => backend.Connection).Distinct())
        {
            await connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        TestDirectories.Delete(_dataDirectory);
    }
}
