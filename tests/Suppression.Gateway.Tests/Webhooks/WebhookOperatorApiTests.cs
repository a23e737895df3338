using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Access;
using Suppression.Gateway.Tests.Compliance;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>
/// The operator's tools on the real host with a real receiver: enabling an endpoint a 410 disabled,
/// and listing and requeueing its dead letters. Admin keys only.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class WebhookOperatorApiTests
{
    private const string ComplianceKey = "compliance-officer-key-0123";
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task An_endpoint_disabled_by_a_410_is_enabled_by_an_admin_and_then_receives_the_event_it_kept()
    {
        var status = new StrongBox<int>(StatusCodes.Status410Gone);
        await using var receiver = new LoopbackReceiver(context => LoopbackReceiver.Status(Volatile.Read(ref status.Value))(context));
        await using var gateway = await StartAsync(receiver);
        var log = CapturedLog.AttachTo(gateway);
        using var compliance = Client(gateway, ComplianceKey);

        await SuppressAsync(gateway);
        Assert.True(await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)).Disabled, TimeSpan.FromSeconds(15)), "the 410 did not disable the endpoint");
        var gone = Assert.Single(receiver.Requests);
        Volatile.Write(ref status.Value, StatusCodes.Status204NoContent);

        using var asCompliance = await compliance.PostAsync(new Uri("/api/v1/webhooks/crm/enable", UriKind.Relative), null);
        using var unknown = await gateway.Http.PostAsync(new Uri("/api/v1/webhooks/nobody/enable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, asCompliance.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("GET /api/v1/webhooks lists them", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await EndpointAsync(gateway)).Disabled);

        using var enabled = await gateway.Http.PostAsync(new Uri("/api/v1/webhooks/crm/enable", UriKind.Relative), null);
        enabled.EnsureSuccessStatusCode();
        Assert.Equal(new WebhookEnabledResponse("crm", WasDisabled: true), await enabled.Content.ReadFromJsonAsync<WebhookEnabledResponse>());
        Assert.Contains(log.Entries, entry => entry.Contains($"Webhook endpoint crm enabled by {ApiKeys.Actor(ApiKeys.AdminRole, GatewayInstance.AdminKey)} (was disabled: True)", StringComparison.Ordinal));

        Assert.True(
            await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)).Backlog == 0, TimeSpan.FromSeconds(15)),
            "the event kept while disabled was not delivered after enabling");
        Assert.Equal([gone.Headers["webhook-id"], gone.Headers["webhook-id"]], receiver.Requests.Select(request => request.Headers["webhook-id"]));
        var endpoint = await EndpointAsync(gateway);
        Assert.Equal((false, (string?)null, 0), (endpoint.Disabled, endpoint.DisabledReason, endpoint.ConsecutiveFailures));
    }

    [Fact]
    public async Task Dead_letters_are_listed_for_admins_and_requeued_to_a_receiver_back_from_an_outage()
    {
        var status = new StrongBox<int>(StatusCodes.Status500InternalServerError);
        await using var receiver = new LoopbackReceiver(context => LoopbackReceiver.Status(Volatile.Read(ref status.Value))(context));
        await using var gateway = await StartAsync(receiver);
        using var compliance = Client(gateway, ComplianceKey);
        await SuppressAsync(gateway);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), TimeSpan.FromSeconds(15)), "no attempt reached the receiver");
        var eventId = receiver.Requests.First().Headers["webhook-id"];

        // The last of the schedule's attempts (27 hours on) failing too, recorded as the delivery records it.
        await gateway.Services.GetRequiredService<IWebhookBacklog>().DeadLetterAsync("crm", eventId, "HTTP 500", CancellationToken.None);

        var listed = await gateway.Http.GetFromJsonAsync<WebhookDeadLettersResponse>("/api/v1/webhooks/crm/dead-letters");
        var letter = Assert.Single(listed!.DeadLetters);
        Assert.Equal((1L, eventId, WebhookEventTypes.ComplaintReceived, "HTTP 500", 2), (listed.Total, letter.Id, letter.Type, letter.Failure, letter.Attempts));
        using var asCompliance = await compliance.GetAsync(new Uri("/api/v1/webhooks/crm/dead-letters", UriKind.Relative));
        using var badLimit = await gateway.Http.GetAsync(new Uri("/api/v1/webhooks/crm/dead-letters?limit=0", UriKind.Relative));
        using var unknown = await gateway.Http.GetAsync(new Uri("/api/v1/webhooks/nobody/dead-letters", UriKind.Relative));
        using var requeueAsCompliance = await compliance.PostAsync(new Uri("/api/v1/webhooks/crm/dead-letters/requeue", UriKind.Relative), null);
        Assert.Equal(
            (HttpStatusCode.Forbidden, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Forbidden),
            (asCompliance.StatusCode, badLimit.StatusCode, unknown.StatusCode, requeueAsCompliance.StatusCode));
        Assert.Equal("application/problem+json", badLimit.Content.Headers.ContentType?.MediaType);
        var attemptsBefore = receiver.Requests.Count;

        Volatile.Write(ref status.Value, StatusCodes.Status204NoContent);
        using var requeued = await gateway.Http.PostAsync(new Uri("/api/v1/webhooks/crm/dead-letters/requeue", UriKind.Relative), null);
        requeued.EnsureSuccessStatusCode();
        Assert.Equal(new WebhookRequeueResponse("crm", 1), await requeued.Content.ReadFromJsonAsync<WebhookRequeueResponse>());

        Assert.True(
            await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)) is { Backlog: 0, DeadLetters: 0, LastSuccess: not null }, TimeSpan.FromSeconds(15)),
            "the requeued event was not delivered");
        Assert.Equal(eventId, receiver.Requests.Skip(attemptsBefore).Single().Headers["webhook-id"]);
        Assert.Empty((await gateway.Http.GetFromJsonAsync<WebhookDeadLettersResponse>("/api/v1/webhooks/crm/dead-letters"))!.DeadLetters);
    }

    [Fact]
    public async Task The_command_line_tool_lists_enables_replays_and_requeues_against_the_running_gateway()
    {
        var status = new StrongBox<int>(StatusCodes.Status410Gone);
        await using var receiver = new LoopbackReceiver(context => LoopbackReceiver.Status(Volatile.Read(ref status.Value))(context));
        await using var gateway = await StartAsync(receiver);
        await SuppressAsync(gateway);
        Assert.True(await Eventually.TrueAsync(async () => (await EndpointAsync(gateway)).Disabled, TimeSpan.FromSeconds(15)), "the 410 did not disable the endpoint");
        Volatile.Write(ref status.Value, StatusCodes.Status204NoContent);
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var list = await CliAgainstGatewayTests.RunAsync(gateway, ComplianceKey, "webhooks", "list");
        var refused = await CliAgainstGatewayTests.RunAsync(gateway, ComplianceKey, "webhooks", "enable", "crm");
        var enable = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "webhooks", "enable", "crm");
        var requeue = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "webhooks", "requeue-dead", "crm");
        var replay = await CliAgainstGatewayTests.RunAsync(gateway, GatewayInstance.AdminKey, "webhooks", "replay", "crm", "--from", since);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"(?m)^crm\s+disabled\s+1\s", list.Output);
        Assert.Contains("crm: disabled (", list.Output, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("compliance role", refused.Error, StringComparison.Ordinal);
        Assert.Equal("crm enabled: its queued events are sent again", enable.Output.TrimEnd());
        Assert.Equal("requeued 0 dead letters for crm, due at once", requeue.Output.TrimEnd());
        Assert.StartsWith("queued 1 event for crm from ", replay.Output, StringComparison.Ordinal);
        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(receiver.Requests.Count >= 2), TimeSpan.FromSeconds(15)),
            "nothing reached the receiver after the tool enabled the endpoint");
    }

    private static Task<GatewayInstance> StartAsync(LoopbackReceiver receiver) =>
        GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Compliance:ApiKeys:0"] = ComplianceKey,
            ["Suppression:Webhooks:AllowPrivateNetworks"] = "true",
            ["Suppression:Webhooks:Endpoints:0:Id"] = "crm",
            ["Suppression:Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
            ["Suppression:Webhooks:Endpoints:0:Secret"] = Secret,
        });

    private static async Task SuppressAsync(GatewayInstance gateway)
    {
        using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = $"leaver-{Guid.NewGuid():N}@example.com", reason = "complaint" });
        added.EnsureSuccessStatusCode();
    }

    private static async Task<WebhookEndpointDto> EndpointAsync(GatewayInstance gateway) =>
        Assert.Single((await gateway.Http.GetFromJsonAsync<WebhooksResponse>("/api/v1/webhooks"))!.Endpoints);

    private static HttpClient Client(GatewayInstance gateway, string key)
    {
        var client = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
