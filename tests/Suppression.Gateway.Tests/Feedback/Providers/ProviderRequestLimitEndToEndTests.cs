using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// Issue 20 through the real host: a burst of signed Mailgun requests is never limited, while a client
/// whose requests keep failing authentication gets 429 with Retry-After and a readable problem.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class ProviderRequestLimitEndToEndTests
{
    [Fact]
    public async Task Signed_requests_pass_in_a_burst_and_a_network_failing_authentication_is_refused_with_429()
    {
        await using var gateway = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, new Dictionary<string, string>
        {
            ["Suppression:Feedback:Providers:0:Name"] = "mailgun",
            ["Suppression:Feedback:Providers:0:SigningKey"] = ProviderWebhookFixture.MailgunSigningKey,
            ["Suppression:Feedback:ProviderFailuresPerMinute"] = "3",
        });
        using var client = new HttpClient { BaseAddress = gateway.Http.BaseAddress };

        var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => PostAsync(client, Opened(ProviderWebhookFixture.MailgunSigningKey))));
        var failures = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var refused = await PostAsync(client, Opened("key-not-the-configured-one-000000"));
            failures.Add(refused.StatusCode);
        }

        using var limited = await PostAsync(client, Opened("key-not-the-configured-one-000000"));
        using var signedButLimited = await PostAsync(client, Opened(ProviderWebhookFixture.MailgunSigningKey));

        Assert.All(burst, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.All(failures, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("failed authentication", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, signedButLimited.StatusCode);
        foreach (var response in burst)
        {
            response.Dispose();
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/v1/feedback/mailgun", new StringContent(body, Encoding.UTF8, "application/json"));

    // An event the gateway does not act on: the request is about the signature, not the event.
    private static string Opened(string key) =>
        MailgunRequests.Signed(new JsonObject { ["event"] = "opened", ["id"] = Guid.NewGuid().ToString("N"), ["recipient"] = "alice@example.com" }, key);
}
