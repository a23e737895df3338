using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.Compliance;

/// <summary>
/// One gateway per backend with a key prefix of its own (so verifying and exporting the whole trail
/// sees only this fixture's records, even on a shared Redis), a token key the tests hold to mint
/// links, an upstream sink, and a compliance key configured as a SHA-256.
/// </summary>
public sealed class ComplianceFixture : IAsyncLifetime
{
    public const string ComplianceKey = "compliance-officer-key-0987";

    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly string _tokenKey = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));

    public ComplianceFixture() => Codec = new UnsubscribeTokenCodec(TokenKeyRing.Parse([_tokenKey]));

    public UnsubscribeTokenCodec Codec { get; }

    public TestSmtpSink Sink { get; } = new();

    public string Prefix { get; } = "compliance-" + Guid.NewGuid().ToString("N")[..8] + ":";

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Sink.Port, new Dictionary<string, string>
            {
                ["Suppression:RedisKeyPrefix"] = Prefix,
                ["Suppression:Tokens:Keys:0"] = _tokenKey,
                ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",
                ["Suppression:Compliance:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
            });
            _gateways[backend] = gateway;
            await gateway.WarmUpAsync();
        }

        return gateway;
    }

    public string Mint(string address) => Codec.Encode(new UnsubscribeToken(AddressNormalizer.Normalize(address), null, null, DateTimeOffset.UtcNow));

    /// <summary>A client with the compliance key, which may read but not write.</summary>
    public static HttpClient ComplianceClient(GatewayInstance gateway)
    {
        var client = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ComplianceKey);
        return client;
    }

    /// <summary>Every key and value under the fixture's prefix, as text: what reading the store would show.</summary>
    public async Task<string> DumpAsync(GatewayInstance gateway)
    {
        var redis = (IConnectionMultiplexer)gateway.Services.GetService(typeof(IConnectionMultiplexer))!;
        var database = redis.GetDatabase();
        var text = new StringBuilder();
        foreach (var endpoint in redis.GetEndPoints())
        {
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: Prefix + "*"))
            {
                text.Append(key).Append('\n');
                var type = await database.KeyTypeAsync(key);
                if (type == RedisType.Hash)
                {
                    foreach (var field in await database.HashGetAllAsync(key))
                    {
                        text.Append(field.Name).Append('=').Append(field.Value).Append('\n');
                    }
                }
                else if (type == RedisType.List)
                {
                    text.AppendJoin('\n', await database.ListRangeAsync(key)).Append('\n');
                }
                else if (type == RedisType.String)
                {
                    text.Append(await database.StringGetAsync(key)).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
    }
}
