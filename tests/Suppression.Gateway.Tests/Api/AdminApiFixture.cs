using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Api;

/// <summary>
/// One gateway per backend, in front of a live upstream so readiness can report it, shared by the
/// admin API tests. Besides the clear test key it accepts <see cref="HashedKey"/>, configured only
/// as its SHA-256 digest.
/// </summary>
public sealed class AdminApiFixture : IAsyncLifetime
{
    public const string HashedKey = "hashed-admin-key-9f8e7d6c5b4a";

    public const string ComplianceKey = "compliance-officer-key-0123";

    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly List<CapturedLog> _logs = [];

    public AdminApiFixture() => Client = new(new NoServerErrorsHandler(() => string.Join(Environment.NewLine, _logs)));

    public static string HashedKeySetting => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HashedKey)));

    public TestSmtpSink Upstream { get; } = new();

    /// <summary>A client of the backend's gateway that sends no credentials unless a request carries them, and fails on any 5xx.</summary>
    public HttpClient Client { get; }

    public async Task<Uri> BaseAddressAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Upstream.Port, new Dictionary<string, string>
            {
                ["Suppression:Admin:ApiKeys:1"] = HashedKeySetting,
                ["Suppression:Compliance:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
            });
            _gateways[backend] = gateway;
            _logs.Add(CapturedLog.AttachTo(gateway));
            await gateway.WarmUpAsync();
        }

        return new Uri($"http://127.0.0.1:{gateway.HttpPort}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        await Upstream.DisposeAsync();
    }
}
