using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Garnet;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Suppression.Secrets;

namespace Suppression.Redis.Embedded;

// An in-process Garnet server for the zero-set-up case (no Suppression:Redis configured). The rest
// of the gateway talks to it over loopback through StackExchange.Redis, exactly as to a real Redis,
// so there is one code path. Every write reaches Garnet's append-only file before the reply is sent,
// and start-up replays it, so a suppression survives a crash of the process as well as a restart.
// Files live under <dataDirectory>/store; docs/data-model.md describes them.
//
// Loopback is not private: any local user can connect to it. So the server asks for a password,
// generated once into <dataDirectory>/store-password (owner only) and kept, so that a restart on the
// same port lets existing clients back in, and the data directory is created owner-only.
public sealed class EmbeddedRedisServer : IAsyncDisposable
{
    public const string PasswordFileName = "store-password";

    private const int PortAttempts = 3;

    private readonly GarnetServer _server;
    private int _disposed;

    private EmbeddedRedisServer(GarnetServer server, int port, string dataDirectory, IReadOnlyList<string> arguments, string password)
    {
        Password = password;
        _server = server;
        Port = port;
        DataDirectory = dataDirectory;
        Arguments = arguments;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>Garnet's arguments, without the password.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>What a client must AUTH with; for building a configuration string other than <see cref="ConfigurationString"/>.</summary>
    public string Password { get; }

    public string ConfigurationString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},password={Password},abortConnect=false");

    public static Task<EmbeddedRedisServer> StartAsync(string dataDirectory, ILoggerFactory? loggerFactory, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, port: 0, loggerFactory, cancellationToken);

    /// <param name="port">A loopback port, or 0 for a free one.</param>
    public static Task<EmbeddedRedisServer> StartAsync(string dataDirectory, int port, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var fullPath = Path.GetFullPath(dataDirectory);
        var garnetLoggers = new GarnetLoggerFactory(loggerFactory ?? NullLoggerFactory.Instance);

        // Recovery loads a checkpoint and replays up to 256 MB of log, which takes a while on a
        // large list: keep it off the caller's thread.
        return Task.Run(() => Start(fullPath, port, garnetLoggers), cancellationToken);
    }

    private static IReadOnlyList<string> BuildArguments(string dataDirectory, int port) =>
    [
        "--bind", "127.0.0.1",
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--lua",

        // Durability: log every write (--aof), flush the log before answering the client
        // (--aof-commit-wait; suppression writes are rare and must hold for the very next message),
        // and replay it on start (--recover). The log and checkpoints live under the checkpoint
        // directory; --logdir is only accepted together with tiered storage, which we do not use:
        // the list is held in memory.
        "--aof",
        "--aof-commit-wait",
        "--recover",
        "--checkpointdir", Path.Combine(dataDirectory, "store"),

        // Without a limit the log grows forever and every start replays all of it. Past the limit
        // Garnet takes a checkpoint (a snapshot under the checkpoint directory) and replays only
        // the log written after it.
        "--aof-size-limit", "256m",

        // The default device on Linux is native libaio, which is not installed everywhere;
        // .NET's RandomAccess works on every platform.
        "--device-type", "RandomAccess",

        // No banner on stdout; logging goes through the ILoggerFactory.
        "-q",
    ];

    private static EmbeddedRedisServer Start(string dataDirectory, int requestedPort, ILoggerFactory loggerFactory)
    {
        OwnerOnlyFile.CreateDirectory(dataDirectory);
        var password = OwnerOnlyFile.ReadOrCreate(
            Path.Combine(dataDirectory, PasswordFileName), () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).Text.Trim();
        for (var attempt = 1; ; attempt++)
        {
            var port = requestedPort == 0 ? FindFreeLoopbackPort() : requestedPort;
            var arguments = BuildArguments(dataDirectory, port);
            var server = CreateQuietly([.. arguments, "--auth", "Password", "--password", password], loggerFactory);
            try
            {
                server.Start();
                return new EmbeddedRedisServer(server, port, dataDirectory, arguments, password);
            }
            catch (Exception exception) when (requestedPort == 0 && attempt < PortAttempts && IsAddressInUse(exception))
            {
                // Another process took the free port between the probe and the bind: try another.
                server.Dispose(deleteDir: false);
            }
            catch
            {
                server.Dispose(deleteDir: false);
                throw;
            }
        }
    }

    // GarnetServer's argument-parsing constructor adds a ConsoleTraceListener to the process-wide
    // Trace.Listeners: take it out again so Trace output of the host does not land on stdout.
    // Two servers starting at once (parallel tests) would enumerate the listeners while the other
    // adds to them, so the whole step runs under one lock.
    private static GarnetServer CreateQuietly(IReadOnlyList<string> arguments, ILoggerFactory loggerFactory)
    {
        lock (TraceListenersLock)
        {
            var before = Trace.Listeners.Cast<TraceListener>().ToHashSet();
            var server = new GarnetServer([.. arguments], loggerFactory);
            foreach (var added in Trace.Listeners.Cast<TraceListener>().Where(listener => !before.Contains(listener)).ToList())
            {
                if (added is ConsoleTraceListener)
                {
                    Trace.Listeners.Remove(added);
                    added.Dispose();
                }
            }

            return server;
        }
    }

    private static readonly Lock TraceListenersLock = new();

    // Garnet wraps the bind failure in a GarnetException.
    private static bool IsAddressInUse(Exception exception) =>
        exception is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || (exception.InnerException is { } inner && IsAddressInUse(inner));

    private static int FindFreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // With --aof-commit-wait every acknowledged write is already on disk; committing once more
        // covers anything written by a client that did not wait for its reply.
        await _server.Store.CommitAOFAsync(CancellationToken.None);
        _server.Dispose(deleteDir: false);
    }
}
