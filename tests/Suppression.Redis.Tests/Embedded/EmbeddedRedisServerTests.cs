using System.Diagnostics;
using System.Globalization;
using System.Net;
using Polly.Timeout;
using StackExchange.Redis;
using Suppression.Delivery;
using Suppression.Redis.Connection;
using Suppression.Redis.Delivery;
using Suppression.Redis.Embedded;
using Suppression.Redis.Layout;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Tests.Fixtures;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Embedded;

// Each test runs its own server in its own directory: these tests stop and restart servers.
public sealed class EmbeddedRedisServerTests : IDisposable
{
    private static readonly SuppressionEntry Entry = new(
        SuppressionScope.Global, SuppressionReason.Unsubscribe, SuppressionSource.OneClick, DateTimeOffset.FromUnixTimeSeconds(1_732_300_000));

    private readonly string _dataDirectory = TestDirectories.Create("embedded");

    public void Dispose() => TestDirectories.Delete(_dataDirectory);

    [Fact]
    public async Task Suppression_survives_embedded_server_restart()
    {
        var address = TestAddresses.Unique();
        await using (var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None))
        await using (var connection = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None))
        {
            var store = new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default));
            Assert.True(await store.AddAsync(address, Entry, TestAudit.Any, CancellationToken.None));
            await new RedisBlockedDeliveryLog(RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default)).RecordAsync(
                [new BlockedDelivery(DateTimeOffset.UtcNow, IPAddress.Loopback, "s@example.com", address, Entry.Reason, Entry.Scope, null)],
                CancellationToken.None);
        }

        await using (var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None))
        await using (var connection = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None))
        {
            var entries = await new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default)).GetEntriesAsync([address], CancellationToken.None);
            Assert.Equal(Entry, Assert.Single(entries[0]));
            Assert.Equal(1, await connection.GetDatabase().ListLengthAsync(RedisKeyLayout.Default.ChainKeys(RedisKeyLayout.Default.Locate(address).Bucket).Blocked));
        }
    }

    [Fact]
    public async Task Suppression_survives_a_killed_server_process()
    {
        var address = TestAddresses.Unique();
        using (var child = StartServerProcess(_dataDirectory))
        {
            try
            {
                var port = await ReadPortAsync(child);
                await using var connection = await RedisConnectionFactory.ConnectAsync($"127.0.0.1:{port},password={StoredPassword()}", CancellationToken.None);
                Assert.True(await new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default)).AddAsync(address, Entry, TestAudit.Any, CancellationToken.None));
            }
            finally
            {
                // SIGKILL straight after the acknowledgement: no dispose, no final commit.
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }

        await using var restarted = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        await using var reconnected = await RedisConnectionFactory.ConnectAsync(restarted.ConfigurationString, CancellationToken.None);
        var entries = await new RedisSuppressionStore(reconnected, RedisKeyLayout.Default, TestAudit.Writer(reconnected, RedisKeyLayout.Default)).GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(Entry, Assert.Single(entries[0]));
    }

    [Fact]
    public async Task Lookup_when_server_is_down_throws()
    {
        var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        await using var connection = await RedisConnectionFactory.ConnectAsync(ShortTimeouts(server), CancellationToken.None);
        var store = new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default));
        Assert.True(await store.IsAvailableAsync(CancellationToken.None));

        await server.DisposeAsync();

        var lookup = await Record.ExceptionAsync(() => store.GetEntriesAsync([TestAddresses.Unique()], CancellationToken.None));
        var add = await Record.ExceptionAsync(() => store.AddAsync(TestAddresses.Unique(), Entry, TestAudit.Any, CancellationToken.None));
        Assert.True(lookup is SuppressionStoreUnavailableException { InnerException: RedisConnectionException or RedisTimeoutException or TimeoutRejectedException }, $"Lookup threw {lookup?.GetType().Name ?? "nothing"} ({lookup?.InnerException?.GetType().Name}).");
        Assert.True(add is SuppressionStoreUnavailableException { InnerException: RedisConnectionException or RedisTimeoutException or TimeoutRejectedException }, $"Add threw {add?.GetType().Name ?? "nothing"} ({add?.InnerException?.GetType().Name}).");
        Assert.False(await store.IsAvailableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Store_recovers_by_itself_when_server_comes_back()
    {
        var address = TestAddresses.Unique();
        var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        var port = server.Port;
        await using var connection = await RedisConnectionFactory.ConnectAsync(ShortTimeouts(server), CancellationToken.None);
        var store = new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default));
        await store.AddAsync(address, Entry, TestAudit.Any, CancellationToken.None);
        await server.DisposeAsync();
        Assert.False(await store.IsAvailableAsync(CancellationToken.None));

        await using var restarted = await EmbeddedRedisServer.StartAsync(_dataDirectory, port, loggerFactory: null, CancellationToken.None);

        var deadline = Stopwatch.StartNew();
        while (!await store.IsAvailableAsync(CancellationToken.None))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "The connection did not come back within 30 s.");
            await Task.Delay(100);
        }

        var entries = await store.GetEntriesAsync([address], CancellationToken.None);
        Assert.Equal(Entry, Assert.Single(entries[0]));
    }

    [Fact]
    public async Task Server_listens_on_loopback_only()
    {
        await using var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);

        Assert.StartsWith("127.0.0.1:", server.ConfigurationString, StringComparison.Ordinal);
        Assert.Contains("--bind", server.Arguments);
        Assert.Equal("127.0.0.1", server.Arguments[server.Arguments.ToList().IndexOf("--bind") + 1]);
    }

    [Fact]
    public async Task A_client_without_the_password_can_neither_read_nor_write()
    {
        // Loopback is shared with every local user: without the password one could delete an opt-out.
        await using var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        await using (var owner = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None))
        {
            await owner.GetDatabase().StringSetAsync("probe", "kept");
        }

        using var stranger = new System.Net.Sockets.TcpClient();
        await stranger.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = stranger.GetStream();
        var reader = new StreamReader(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var command in new[] { new[] { "GET", "probe" }, ["DEL", "probe"], ["AUTH", "wrong-password"] })
        {
            // RESP arrays: Garnet does not read inline commands.
            var resp = $"*{command.Length}\r\n" + string.Concat(command.Select(part => $"${part.Length}\r\n{part}\r\n"));
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(resp), timeout.Token);
            var reply = await reader.ReadLineAsync(timeout.Token);
            Assert.StartsWith("-", reply, StringComparison.Ordinal);
        }

        await using var again = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None);
        Assert.Equal("kept", (string?)await again.GetDatabase().StringGetAsync("probe"));
    }

    [Fact]
    public async Task The_password_is_kept_owner_only_and_survives_a_restart()
    {
        var fresh = Path.Combine(_dataDirectory, "new-data");
        string first;
        await using (var server = await EmbeddedRedisServer.StartAsync(fresh, loggerFactory: null, CancellationToken.None))
        {
            first = server.Password;
            Assert.DoesNotContain(first, server.Arguments);
        }

        await using var restarted = await EmbeddedRedisServer.StartAsync(fresh, loggerFactory: null, CancellationToken.None);
        Assert.Equal(first, restarted.Password);
        Assert.Equal(64, first.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(fresh, EmbeddedRedisServer.PasswordFileName)));
        }
    }

    [Fact]
    public async Task Routine_start_and_stop_log_nothing()
    {
        var loggers = new RecordingLoggerFactory();

        await using (var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggers, CancellationToken.None))
        await using (var connection = await RedisConnectionFactory.ConnectAsync(server.ConfigurationString, CancellationToken.None))
        {
            await new RedisSuppressionStore(connection, RedisKeyLayout.Default, TestAudit.Writer(connection, RedisKeyLayout.Default)).AddAsync(TestAddresses.Unique(), Entry, TestAudit.Any, CancellationToken.None);
        }

        Assert.Equal([], loggers.Lines);
    }

    [Fact]
    public async Task Server_adds_no_console_trace_listener()
    {
        await using var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);

        Assert.DoesNotContain(Trace.Listeners.Cast<TraceListener>(), listener => listener is ConsoleTraceListener);
    }

    [Fact]
    public async Task Taken_port_is_reported_when_asked_for_explicitly()
    {
        await using var first = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);
        var otherDirectory = TestDirectories.Create("embedded-second");
        try
        {
            var failure = await Record.ExceptionAsync(() => EmbeddedRedisServer.StartAsync(otherDirectory, first.Port, loggerFactory: null, CancellationToken.None));

            Assert.NotNull(failure);
            Assert.Contains("AddressAlreadyInUse", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(otherDirectory);
        }
    }

    [Fact]
    public async Task Disposing_twice_is_harmless()
    {
        var server = await EmbeddedRedisServer.StartAsync(_dataDirectory, loggerFactory: null, CancellationToken.None);

        await server.DisposeAsync();
        await server.DisposeAsync();
    }

    private static string ShortTimeouts(EmbeddedRedisServer server) =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{server.Port},password={server.Password},connectTimeout=500,syncTimeout=500,asyncTimeout=500");

    private string StoredPassword() => File.ReadAllText(Path.Combine(_dataDirectory, EmbeddedRedisServer.PasswordFileName));

    private static Process StartServerProcess(string dataDirectory)
    {
        // Under `dotnet test` the SDK names its own host; a bare "dotnet" is the fallback.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add(Program.EmbeddedServerCommand);
        start.ArgumentList.Add(dataDirectory);
        return Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
    }

    private static async Task<int> ReadPortAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
        if (!int.TryParse(line, CultureInfo.InvariantCulture, out var port))
        {
            var error = await child.StandardError.ReadToEndAsync(timeout.Token);
            throw new InvalidOperationException($"The server process printed '{line}' instead of its port. {error}");
        }

        return port;
    }
}
