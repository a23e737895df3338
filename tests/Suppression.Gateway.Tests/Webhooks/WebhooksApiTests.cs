using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary><c>GET /api/v1/webhooks</c> on the real host: readable by admin and compliance keys, nobody else.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class WebhooksApiTests
{
    private const string ComplianceKey = "compliance-officer-key-0123";

    [Fact]
    public async Task List_without_endpoints_is_empty_for_admin_and_compliance_keys_and_401_without_a_key()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
        });
        using var anonymous = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        using var compliance = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        compliance.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ComplianceKey);

        var asAdmin = await gateway.Http.GetFromJsonAsync<WebhooksResponse>("/api/v1/webhooks");
        var asCompliance = await compliance.GetFromJsonAsync<WebhooksResponse>("/api/v1/webhooks");
        using var withoutKey = await anonymous.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative));

        Assert.Empty(asAdmin!.Endpoints);
        Assert.Empty(asCompliance!.Endpoints);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }
}
