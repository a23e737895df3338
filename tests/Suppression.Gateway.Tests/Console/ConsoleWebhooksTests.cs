using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Webhooks;
using Suppression.Gateway.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// /console/webhooks with a real receiver: every session sees each endpoint's state (never its secret
/// or its URL's query); an admin enables one a 410 disabled and requeues its dead letters there, and
/// they reach the receiver. A compliance session may look but not act, and nothing is done without
/// the form's antiforgery token.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ConsoleWebhooksTests
{
    private const string ComplianceKey = "console-compliance-key-0123456789";
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_compliance_session_sees_the_disabled_endpoints_state_without_its_secret_and_cannot_act()
    {
        var status = new StrongBox<int>(StatusCodes.Status410Gone);
        await using var receiver = Receiver(status);
        await using var gateway = await StartAsync(receiver);
        await DisabledByGoneAsync(gateway);
        using var client = new ConsoleClient(gateway, null, () => string.Empty);
        await client.SignInAsync(ComplianceKey);

        var page = await client.GetAsync("/console/webhooks");
        var enable = await client.SubmitAsync("/console/webhooks", "/console/webhooks/crm/enable");
        var requeue = await client.SubmitAsync("/console/webhooks", "/console/webhooks/crm/requeue");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<h2 id=\"endpoint-crm\">crm</h2>", page.Body, StringComparison.Ordinal);
        Assert.Contains($"<dd><span class=\"identifier\">{receiver.Url}</span></dd>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<dt>State</dt><dd><strong>Disabled</strong>: 410 Gone", page.Body, StringComparison.Ordinal);
        Assert.Contains("<dt>Backlog</dt><dd>1 event</dd>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<dt>Events</dt><dd>every event but delivery.blocked</dd>", page.Body, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/console/webhooks\" aria-current=\"page\">Webhooks</a>", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("receiver-token", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret["whsec_".Length..], page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/enable\"", page.Body, StringComparison.Ordinal);
        Assert.Contains("needs an admin key", page.Body, StringComparison.Ordinal);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (enable.Status, requeue.Status));
        Assert.Contains("Only an admin can change webhook delivery", enable.Body, StringComparison.Ordinal);
        Assert.True((await EndpointAsync(gateway)).Disabled);
    }

    [Fact]
    public async Task An_admin_enables_the_endpoint_and_requeues_its_dead_letters_and_both_reach_the_receiver()
    {
        var status = new StrongBox<int>(StatusCodes.Status410Gone);
        await using var receiver = Receiver(status);
        await using var gateway = await StartAsync(receiver);
        await DisabledByGoneAsync(gateway);
        using var client = new ConsoleClient(gateway, null, () => string.Empty);
        await client.SignInAsync(GatewayInstance.AdminKey);

        var forged = await client.PostAsync("/console/webhooks/crm/enable");
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.True((await EndpointAsync(gateway)).Disabled);
        Assert.Contains("<button type=\"submit\">Enable</button>", (await client.GetAsync("/console/webhooks")).Body, StringComparison.Ordinal);
        Volatile.Write(ref status.Value, StatusCodes.Status204NoContent);

        var enabled = await client.SubmitAsync("/console/webhooks", "/console/webhooks/crm/enable");

        Assert.True(enabled.Status == HttpStatusCode.SeeOther, enabled.ToString());
        Assert.Equal("/console/webhooks?enabled=crm", enabled.Location);
        Assert.Contains("Endpoint crm enabled: its queued events are sent again.", (await client.GetAsync(enabled.Location!)).Body, StringComparison.Ordinal);
        Assert.True(await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)) is { Disabled: false, Backlog: 0 }, TimeSpan.FromSeconds(15)), "the kept event was not delivered");

        // An event that failed its last attempt, as the delivery records it.
        Volatile.Write(ref status.Value, StatusCodes.Status500InternalServerError);
        var before = receiver.Requests.Count;
        await SuppressAsync(gateway);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(receiver.Requests.Count > before), TimeSpan.FromSeconds(15)), "no attempt reached the receiver");
        var failed = receiver.Requests.Last().Headers["webhook-id"];
        await gateway.Services.GetRequiredService<IWebhookBacklog>().DeadLetterAsync("crm", failed, "HTTP 500", CancellationToken.None);
        Volatile.Write(ref status.Value, StatusCodes.Status204NoContent);
        var page = await client.GetAsync("/console/webhooks");
        Assert.Contains("<dt>Dead letters</dt><dd>1</dd>", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<button type=\"submit\">Enable</button>", page.Body, StringComparison.Ordinal);

        var requeued = await client.SubmitAsync("/console/webhooks", "/console/webhooks/crm/requeue");

        Assert.True(requeued.Status == HttpStatusCode.SeeOther, requeued.ToString());
        Assert.Equal("/console/webhooks?requeued=crm&count=1", requeued.Location);
        Assert.Contains("Endpoint crm: 1 dead letter requeued, due at once.", (await client.GetAsync(requeued.Location!)).Body, StringComparison.Ordinal);
        Assert.True(
            await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)) is { DeadLetters: 0, Backlog: 0, ConsecutiveFailures: 0 }, TimeSpan.FromSeconds(15)),
            "the requeued event was not delivered");
        Assert.Equal(failed, receiver.Requests.Last().Headers["webhook-id"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SubmitAsync("/console/webhooks", "/console/webhooks/nobody/enable")).Status);
    }

    private static LoopbackReceiver Receiver(StrongBox<int> status) =>
        new(context => LoopbackReceiver.Status(Volatile.Read(ref status.Value))(context));

    private static Task<GatewayInstance> StartAsync(LoopbackReceiver receiver) =>
        GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
            ["Suppression:Webhooks:AllowPrivateNetworks"] = "true",
            ["Suppression:Webhooks:Endpoints:0:Id"] = "crm",
            ["Suppression:Webhooks:Endpoints:0:Url"] = receiver.Url + "?token=receiver-token",
            ["Suppression:Webhooks:Endpoints:0:Secret"] = Secret,
        });

    private static async Task DisabledByGoneAsync(GatewayInstance gateway)
    {
        await SuppressAsync(gateway);
        Assert.True(await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)).Disabled, TimeSpan.FromSeconds(15)), "the 410 did not disable the endpoint");
    }

    private static async Task SuppressAsync(GatewayInstance gateway)
    {
        using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = $"leaver-{Guid.NewGuid():N}@example.com", reason = "complaint" });
        added.EnsureSuccessStatusCode();
    }

    private static async Task<WebhookEndpointDto> EndpointAsync(GatewayInstance gateway) =>
        Assert.Single((await gateway.Http.GetFromJsonAsync<WebhooksResponse>("/api/v1/webhooks"))!.Endpoints);
}
