using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.BatchCheck;

/// <summary>
/// One gateway per backend, relaying to a sink, with two tenants: <c>acme</c> declares the topics
/// <c>news</c> and <c>offers</c> and may send transactional mail; <c>beta</c> declares none and may
/// not. Neither is bound to a network, so loopback mail names its tenant by header, as a check does.
/// </summary>
public sealed class BatchCheckFixture : IAsyncLifetime
{
    public const string ComplianceKey = "batch-check-compliance-key-0123";

    private readonly Dictionary<string, GatewayInstance> _gateways = [];
    private readonly List<CapturedLog> _logs = [];

    public BatchCheckFixture() => Client = new(new NoServerErrorsHandler(() => string.Join(Environment.NewLine, _logs)));

    public TestSmtpSink Upstream { get; } = new();

    /// <summary>Sends no credentials unless a request carries them, and fails on any 5xx.</summary>
    public HttpClient Client { get; }

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Upstream.Port, new Dictionary<string, string>
            {
                ["Suppression:Compliance:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ComplianceKey))),
                ["Suppression:Tenants:0:Id"] = "acme",
                ["Suppression:Tenants:0:AllowTransactional"] = "true",
                ["Suppression:Tenants:0:Topics:0:Id"] = "news",
                ["Suppression:Tenants:0:Topics:1:Id"] = "offers",
                ["Suppression:Tenants:1:Id"] = "beta",
            });
            _gateways[backend] = gateway;
            _logs.Add(CapturedLog.AttachTo(gateway));
            await gateway.WarmUpAsync();
        }

        return gateway;
    }

    /// <summary>POST /api/v1/suppressions/check with the admin key (or <paramref name="key"/>).</summary>
    public async Task<HttpResponseMessage> CheckAsync(string backend, HttpContent body, string query = "", string key = GatewayInstance.AdminKey)
    {
        var gateway = await GatewayAsync(backend);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{gateway.HttpPort}/api/v1/suppressions/check{query}") { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await Client.SendAsync(request);
    }

    public async Task SuppressAsync(string backend, string address, string scope, string reason)
    {
        var gateway = await GatewayAsync(backend);

        // An erasure entry is made as a person's erasure makes it, not by naming the reason.
        using var response = reason == "erasure"
            ? await gateway.Http.PostAsJsonAsync("/api/v1/erasures", new { address, evidence = "art. 17 request" })
            : await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason });
        Assert.True(response.IsSuccessStatusCode, $"adding {scope} {reason} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
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
