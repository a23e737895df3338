using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>
/// Issue 20 through the real gateway: a change made over the API reaches a receiver as the documented
/// event, signed so that the official Standard Webhooks library (npm <c>standardwebhooks</c>) accepts
/// it, on the embedded store and, in CI, on the Redis Cluster.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class WebhookEndToEndTests
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_api_suppression_and_an_erasure_reach_the_receiver_as_signed_events(string backend)
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(204));
        await using var gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), null, new Dictionary<string, string>
        {
            ["Suppression:Webhooks:AllowPrivateNetworks"] = "true",
            ["Suppression:Webhooks:Endpoints:0:Id"] = "crm",
            ["Suppression:Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
            ["Suppression:Webhooks:Endpoints:0:Secret"] = Secret,
        });
        var address = $"leaver-{Guid.NewGuid():N}@example.com";

        using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "complaint" });
        added.EnsureSuccessStatusCode();
        var created = await EventAsync(receiver, "complaint.received");
        using var erased = await gateway.Http.PostAsJsonAsync("/api/v1/erasures", new { address, evidence = "GDPR request #7" });
        erased.EnsureSuccessStatusCode();
        var erasure = await EventAsync(receiver, "erasure.completed");

        using (var payload = JsonDocument.Parse(created.Body))
        {
            var data = payload.RootElement.GetProperty("data");
            Assert.Equal(address, data.GetProperty("address").GetString());
            Assert.Equal(created.Headers["webhook-id"], data.GetProperty("id").GetString());
        }

        Assert.DoesNotContain(address, erasure.Body, StringComparison.OrdinalIgnoreCase);

        // A replay sends the same events again, with their original ids, and the address erased since stays out.
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        using var replayed = await gateway.Http.PostAsync(new Uri($"/api/v1/webhooks/crm/replay?from={since}", UriKind.Relative), null);
        replayed.EnsureSuccessStatusCode();
        using (var answer = JsonDocument.Parse(await replayed.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, answer.RootElement.GetProperty("queued").GetInt64());
        }

        Assert.True(
            await Eventually.TrueAsync(() => Task.FromResult(receiver.Requests.Count(request => request.Headers["webhook-id"] == created.Headers["webhook-id"]) == 2), TimeSpan.FromSeconds(15)),
            "the replayed complaint.received did not arrive with its original id");
        Assert.All(receiver.Requests.Skip(2), request => Assert.DoesNotContain(address, request.Body, StringComparison.OrdinalIgnoreCase));
        using var unknown = await gateway.Http.PostAsync(new Uri($"/api/v1/webhooks/nobody/replay?from={since}", UriKind.Relative), null);
        using var withoutFrom = await gateway.Http.PostAsync(new Uri("/api/v1/webhooks/crm/replay", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, withoutFrom.StatusCode);
        if (OfficialVerifier.Missing is null)
        {
            var verdicts = await OfficialVerifier.VerifyAsync(
                [new OfficialVerifier.Delivery(Secret, created.Body, created.Headers), new OfficialVerifier.Delivery(Secret, erasure.Body, erasure.Headers)]);
            Assert.All(verdicts, verdict => Assert.Equal(OfficialVerifier.Verified, verdict));
        }
    }

    // Well within the "within a second on an idle machine"; generous for a loaded CI machine.
    private static async Task<LoopbackReceiver.Request> EventAsync(LoopbackReceiver receiver, string type)
    {
        LoopbackReceiver.Request? found = null;
        var arrived = await Eventually.TrueAsync(() =>
        {
            found = receiver.Requests.FirstOrDefault(request => request.Body.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal));
            return Task.FromResult(found is not null);
        }, TimeSpan.FromSeconds(15));
        Assert.True(arrived, $"no {type} event reached the receiver");
        return found!;
    }
}
