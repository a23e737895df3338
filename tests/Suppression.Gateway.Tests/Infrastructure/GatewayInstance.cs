using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Hosting;

namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway host (the same GatewayHost.Build the executable runs) listening on free
/// loopback ports, with its data in a fresh temporary directory unless one is given.
/// </summary>
public sealed class GatewayInstance : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly WebApplication _app;
    private readonly bool _ownsDataDirectory;

    private GatewayInstance(WebApplication app, int smtpPort, int httpPort, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        SmtpPort = smtpPort;
        HttpPort = httpPort;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public int SmtpPort { get; }

    public int HttpPort { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public string PickupDirectory => Path.Combine(DataDirectory, "outbox");

    /// <param name="redis">A Redis configuration string, or null for the embedded server.</param>
    /// <param name="upstreamPort">The upstream SMTP port on 127.0.0.1, or null for the pickup directory.</param>
    /// <param name="time">The gateway's clock, for a test that moves time on; null for the system's.</param>
    /// <param name="peers">Stand-ins for the outside services the gateway calls (GatewayHost.Build).</param>
    public static async Task<GatewayInstance> StartAsync(
        string? redis,
        int? upstreamPort,
        IDictionary<string, string>? settings = null,
        string? dataDirectory = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? peers = null)
    {
        // A port found free can be taken before the gateway binds it: by another test's client
        // socket (the flood and slow-client tests open many), which the OS gives ephemeral ports
        // from the same range. Another pair of ports is tried then.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(redis, upstreamPort, settings, dataDirectory, time, peers);
            }
            catch (IOException exception) when (attempt < 3 && exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
            }
        }
    }

    private static async Task<GatewayInstance> StartOnFreePortsAsync(
        string? redis,
        int? upstreamPort,
        IDictionary<string, string>? settings,
        string? dataDirectory,
        TimeProvider? time,
        Action<IServiceCollection>? peers)
    {
        var smtpPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var ownsDirectory = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("suppression-test-").FullName;
        var args = new List<string>
        {
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Suppression:Smtp:Port={smtpPort}",
            "--Suppression:Smtp:Hostname=gateway.test",
            $"--Suppression:PublicBaseUrl=http://127.0.0.1:{httpPort}",
            $"--Suppression:DataDirectory={dataDirectory}",
            $"--Suppression:Admin:ApiKeys:0={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Garnet=Error",
        };
        if (redis is not null)
        {
            args.Add($"--Suppression:Redis={redis}");
        }

        if (upstreamPort is not null)
        {
            args.Add("--Suppression:Upstream:Host=127.0.0.1");
            args.Add($"--Suppression:Upstream:Port={upstreamPort}");
            args.Add("--Suppression:Upstream:Tls=None");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        var app = GatewayHost.Build([.. args], time, peers);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // What did start (the embedded store) is stopped, so a retry can open the same directory.
            await app.DisposeAsync();
            if (ownsDirectory)
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            throw;
        }

        return new GatewayInstance(app, smtpPort, httpPort, dataDirectory, ownsDirectory);
    }

    public static string? RedisFor(string backend) => backend == Backends.Redis ? Backends.ExternalRedis : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
