using System.Security.Cryptography;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// One gateway per backend configured with a token key the tests also hold, so they can mint links
/// as the stamping code will. The rate limit is raised out of the way; its own test configures a small one.
/// </summary>
public sealed class UnsubscribeFixture : IAsyncLifetime
{
    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly List<CapturedLog> _logs = [];

    public UnsubscribeFixture()
    {
        KeySetting = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));
        Codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([KeySetting]));
        Client = new(new NoServerErrorsHandler(() => string.Join(Environment.NewLine, _logs)));
    }

    public string KeySetting { get; }

    public UnsubscribeTokenCodec Codec { get; }

    public TestSmtpSink Sink { get; } = new();

    /// <summary>A client without credentials (as a recipient's browser or mail client) that fails on any 5xx.</summary>
    public HttpClient Client { get; }

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Sink.Port, new Dictionary<string, string>
            {
                ["Suppression:Tokens:Keys:0"] = KeySetting,
                ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",
            });
            _gateways[backend] = gateway;
            _logs.Add(CapturedLog.AttachTo(gateway));
            await gateway.WarmUpAsync();
        }

        Sink.Messages.Clear();
        return gateway;
    }

    public string Mint(string address, string? tenant = null, string? topic = null, DateTimeOffset? issuedAt = null) =>
        Codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), tenant, topic, issuedAt ?? DateTimeOffset.UtcNow));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Client.Dispose();
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
    }
}
