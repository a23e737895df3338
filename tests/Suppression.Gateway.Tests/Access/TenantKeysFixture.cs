using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Access;

/// <summary>
/// One gateway on the embedded store with two tenants that hold API keys: <c>acme</c> (a clear key)
/// and <c>globex</c> (a key configured as its SHA-256), beside the admin key.
/// </summary>
public sealed class TenantKeysFixture : IAsyncLifetime
{
    public const string AcmeKey = "acme-marketing-key-0123456789";

    public const string GlobexKey = "globex-crm-key-9876543210";

    private readonly List<CapturedLog> _logs = [];
    private GatewayInstance? _gateway;

    public GatewayInstance Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    /// <summary>What the gateway logged at warning level and above, for a failing test's message.</summary>
    public string ServerLog => string.Join(Environment.NewLine, _logs);

    /// <summary>The audit's name for the acme key: the tenant and the first 8 hex digits of the key's SHA-256.</summary>
    public static string AcmeActor => "api-key:tenant:acme:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AcmeKey)))[..8];

    public HttpClient Client(string key)
    {
        var client = new HttpClient(new NoServerErrorsHandler(() => ServerLog)) { BaseAddress = Gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Adds an entry with the admin key.</summary>
    public async Task SuppressAsync(string address, string scope)
    {
        using var response = await Gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason = "unsubscribe" });
        Assert.True(response.IsSuccessStatusCode, $"{scope}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The scopes of an address's entries as the admin sees them, sorted.</summary>
    public async Task<List<string>> ScopesAsync(string address)
    {
        using var response = await Gateway.Http.GetAsync("/api/v1/suppressions?address=" + Uri.EscapeDataString(address));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("scope").GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, new Dictionary<string, string>
        {
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:ApiKeys:0"] = AcmeKey,
            ["Suppression:Tenants:1:Id"] = "globex",
            ["Suppression:Tenants:1:ApiKeys:0"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GlobexKey))),
        });
        _logs.Add(CapturedLog.AttachTo(_gateway));
        await _gateway.WarmUpAsync();
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
