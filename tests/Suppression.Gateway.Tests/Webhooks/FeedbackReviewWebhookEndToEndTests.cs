using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Suppression.Gateway.Tests.Feedback.Providers;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>
/// Issue 20 through the real gateway: an ESP's event the gateway cannot prove is about its own mail
/// is held for a person, and the receiver hears of it as <c>feedback.review</c>, signed, with the
/// review item's id, the tenant the ESP account is configured for, the Message-ID and the address.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class FeedbackReviewWebhookEndToEndTests
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task An_unprovable_mailgun_bounce_reaches_the_receiver_as_feedback_review_with_its_review_item()
    {
        await using var receiver = new LoopbackReceiver(LoopbackReceiver.Status(204));
        await using var gateway = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, new Dictionary<string, string>
        {
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:Networks:0"] = "127.0.0.3/32",
            ["Suppression:Feedback:Providers:0:Name"] = "mailgun",
            ["Suppression:Feedback:Providers:0:Tenant"] = "acme",
            ["Suppression:Feedback:Providers:0:SigningKey"] = ProviderWebhookFixture.MailgunSigningKey,
            ["Suppression:Webhooks:AllowPrivateNetworks"] = "true",
            ["Suppression:Webhooks:Endpoints:0:Id"] = "crm",
            ["Suppression:Webhooks:Endpoints:0:Url"] = receiver.Url.ToString(),
            ["Suppression:Webhooks:Endpoints:0:Secret"] = Secret,
        });
        var stranger = Mail.UniqueAddress("stranger");
        var messageId = $"<{Guid.NewGuid():N}@sender.test>";

        using var posted = await new HttpClient { BaseAddress = gateway.Http.BaseAddress }.PostAsync(
            "/api/v1/feedback/mailgun", new StringContent(MailgunRequests.PermanentFailure(stranger, messageId, Guid.NewGuid().ToString("N")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var held = await HeldItemIdAsync(gateway, stranger);

        var review = await EventAsync(receiver, "feedback.review");

        using var payload = JsonDocument.Parse(review.Body);
        var data = payload.RootElement.GetProperty("data");
        Assert.Equal(review.Headers["webhook-id"], data.GetProperty("id").GetString());
        Assert.Equal((stranger, "acme", messageId), (data.GetProperty("address").GetString(), data.GetProperty("tenant").GetString(), data.GetProperty("messageId").GetString()));
        Assert.Equal(("hard-bounce", "provider-event", "mailgun"), (data.GetProperty("reason").GetString(), data.GetProperty("source").GetString(), data.GetProperty("actor").GetString()));
        var item = data.GetProperty("review");
        Assert.Equal((held, "mailgun", "hard-bounce"), (item.GetProperty("id").GetString(), item.GetProperty("kind").GetString(), item.GetProperty("verdict").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(stranger));
        if (OfficialVerifier.Missing is null)
        {
            var verdicts = await OfficialVerifier.VerifyAsync([new OfficialVerifier.Delivery(Secret, review.Body, review.Headers)]);
            Assert.Equal(OfficialVerifier.Verified, Assert.Single(verdicts));
        }
    }

    private static async Task<string> HeldItemIdAsync(GatewayInstance gateway, string address)
    {
        using var response = await gateway.Http.GetAsync("/api/v1/feedback/review");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = document.RootElement.GetProperty("items").EnumerateArray()
            .Single(candidate => candidate.GetProperty("recipients").EnumerateArray().Any(recipient => recipient.GetProperty("address").GetString() == address));
        return item.GetProperty("id").GetString()!;
    }

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
