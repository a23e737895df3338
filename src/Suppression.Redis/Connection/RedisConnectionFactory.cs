using StackExchange.Redis;
using Suppression.Redis.Resilience;
using Suppression.Redis.Telemetry;
using Suppression.Suppressions;

namespace Suppression.Redis.Connection;

public static class RedisConnectionFactory
{
    public const string DefaultClientName = "suppression-gateway";

    // Long enough for a failover or a busy server, short enough that an SMTP client waiting on
    // RCPT gets its 451 well inside its own command timeout (RFC 5321 4.5.3.2.3: 5 minutes).
    private const int DefaultTimeoutMilliseconds = 3000;

    // AbortOnConnectFail is forced off whatever the string says: the gateway must start while Redis
    // is down (answering 451) and pick the connection up by itself when Redis returns. Timeouts and
    // the client name are defaults that the string may override.
    public static ConfigurationOptions CreateOptions(string configuration, string clientName = DefaultClientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= clientName;

        // The gateway is async end to end, so the dedicated socket-manager threads buy nothing and
        // cost context switches: profiled on 2 cores, the .NET thread pool used ~15% less CPU per
        // relayed message (docs/benchmarks.md).
        options.SocketManager = SocketManager.ThreadPool;
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Mentions(configuration, "syncTimeout"))
        {
            options.SyncTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Mentions(configuration, "asyncTimeout"))
        {
            options.AsyncTimeout = DefaultTimeoutMilliseconds;
        }

        return options;
    }

    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration, CancellationToken cancellationToken) =>
        await ConnectAsync(CreateOptions(configuration), cancellationToken);

    public static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connecting = ConnectionMultiplexer.ConnectAsync(options);
        try
        {
            var connection = await connecting.WaitAsync(cancellationToken);
            connection.ConnectionFailed += RedisTelemetry.ConnectionFailed;
            return connection;
        }
        catch (OperationCanceledException)
        {
            // The connect itself cannot be cancelled; dispose the multiplexer when it arrives
            // rather than leak its sockets and reconnect timer.
            _ = connecting.ContinueWith(
                static task => task.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// Runs a first script, because the server's first one starts its Lua engine (~0.1 s on Garnet,
    /// seconds on a loaded machine): paid at start-up rather than by the first opt-out someone submits.
    /// </summary>
    /// <exception cref="SuppressionStoreUnavailableException">Redis did not answer.</exception>
    public static async Task WarmUpScriptsAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            await connection.GetDatabase().ScriptEvaluateAsync("return 1");
        }
        catch (Exception exception) when (RedisResilience.Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    // ConfigurationOptions cannot tell a default from an explicit value, so look at the string.
    private static bool Mentions(string configuration, string key)
    {
        foreach (var token in configuration.Split(',', StringSplitOptions.TrimEntries))
        {
            if (token.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
