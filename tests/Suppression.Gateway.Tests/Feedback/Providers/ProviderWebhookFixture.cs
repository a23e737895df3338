using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Feedback.Providers;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback.Providers;

/// <summary>
/// One gateway relaying to its pickup directory, with tenant acme's accounts at Mailgun and Postmark
/// configured under <c>Suppression:Feedback:Providers</c> and the default review of unprovable feedback.
/// Tests relay a message to two recipients first, so its accepted copies prove which events are ours.
/// </summary>
public sealed class ProviderWebhookFixture : IAsyncLifetime
{
    public const string MailgunSigningKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";

    public const string PostmarkUsername = "postmark-hook";

    public const string PostmarkPassword = "correct-horse-battery-staple";

    /// <summary>The test's stand-in for SendGrid's signing key; the gateway holds its public half.</summary>
    public ECDsa SendGridKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>SNS's side: the gateway fetches its signing certificate and confirms subscriptions here.</summary>
    public TestSnsEndpoints Sns { get; } = new();

    public GatewayInstance Gateway { get; private set; } = null!;

    /// <summary>The same, with <c>Suppression:Feedback:Unauthenticated=Act</c>: unprovable events act.</summary>
    public GatewayInstance Act { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gateway = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, Settings(), peers: services => services.AddSingleton<ISnsEndpoints>(Sns));
        var act = Settings();
        act["Suppression:Feedback:Unauthenticated"] = "Act";
        Act = await GatewayInstance.StartAsync(redis: null, upstreamPort: null, act, peers: services => services.AddSingleton<ISnsEndpoints>(Sns));
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Act.DisposeAsync();
        SendGridKey.Dispose();
        Sns.Dispose();
    }

    private Dictionary<string, string> Settings() => new()
        {
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:Networks:0"] = "127.0.0.3/32",
            ["Suppression:Feedback:Providers:0:Name"] = "mailgun",
            ["Suppression:Feedback:Providers:0:Tenant"] = "acme",
            ["Suppression:Feedback:Providers:0:SigningKey"] = MailgunSigningKey,
            ["Suppression:Feedback:Providers:1:Name"] = "postmark",
            ["Suppression:Feedback:Providers:1:Tenant"] = "acme",
            ["Suppression:Feedback:Providers:1:Username"] = PostmarkUsername,
            ["Suppression:Feedback:Providers:1:Password"] = PostmarkPassword,
            ["Suppression:Feedback:Providers:2:Name"] = "sendgrid",
            ["Suppression:Feedback:Providers:2:Tenant"] = "acme",
            ["Suppression:Feedback:Providers:2:PublicKey"] = Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo()),
            ["Suppression:Feedback:Providers:3:Name"] = "ses",
            ["Suppression:Feedback:Providers:3:Tenant"] = "acme",
            ["Suppression:Feedback:Providers:3:TopicArn"] = SnsRequests.TopicArn,
        };

    /// <summary>Relays one message to the recipients; returns its Message-ID.</summary>
    public async Task<string> RelayAsync(params string[] recipients)
    {
        var message = Mail.Create("news@sender.test", recipients);
        Assert.StartsWith("2", await Mail.SendAsync(Gateway.SmtpPort, message), StringComparison.Ordinal);
        return message.MessageId!;
    }

    /// <summary>Posts the body as the provider would, without the gateway's API key (an ESP has none).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(
        string provider, string body, AuthenticationHeaderValue? authorization = null, GatewayInstance? gateway = null, IDictionary<string, string>? headers = null)
    {
        using var client = new HttpClient { BaseAddress = (gateway ?? Gateway).Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = authorization;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            client.DefaultRequestHeaders.Add(name, value);
        }

        using var response = await client.PostAsync($"/api/v1/feedback/{provider}", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public async Task<List<JsonElement>> AuditAsync(string address)
    {
        using var response = await Gateway.Http.GetAsync($"/api/v1/audit?address={Uri.EscapeDataString(address)}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"audit answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.GetProperty("records").EnumerateArray().Select(record => record.Clone())];
    }

    /// <summary>The review queue's item naming the address, if any.</summary>
    public async Task<JsonElement?> QueuedAsync(string address)
    {
        using var response = await Gateway.Http.GetAsync("/api/v1/feedback/review");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"review list answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            if (item.GetProperty("recipients").EnumerateArray().Any(recipient => recipient.GetProperty("address").GetString() == address))
            {
                return item.Clone();
            }
        }

        return null;
    }
}
