using Microsoft.Extensions.Configuration;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Hosting;
using Suppression.Gateway.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>Each bad <c>Suppression:Webhooks</c> key stops start-up with one line naming it, and never quotes a secret.</summary>
public sealed class WebhookOptionsTests
{
    internal static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static Dictionary<string, string?> Endpoint(int index = 0, string id = "crm", string url = "https://hooks.example.com/in?token=t") => new()
    {
        [$"Suppression:Webhooks:Endpoints:{index}:Id"] = id,
        [$"Suppression:Webhooks:Endpoints:{index}:Url"] = url,
        [$"Suppression:Webhooks:Endpoints:{index}:Secret"] = Secret,
    };

    private static GatewayConfiguration Read(Dictionary<string, string?> settings) =>
        GatewayConfiguration.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Read_valid_endpoint_is_accepted_with_its_defaults()
    {
        var settings = Read(Endpoint());

        var endpoint = Assert.Single(settings.Webhooks.Endpoints);
        Assert.Equal("crm", endpoint.Id);
        Assert.True(endpoint.IncludeAddress);
        Assert.Empty(endpoint.Events);
        Assert.Equal(16, endpoint.Concurrency);
        Assert.False(settings.Webhooks.AllowPrivateNetworks);
    }

    [Theory]
    [InlineData("Id", "CRM", "Suppression:Webhooks:Endpoints:0:Id")]
    [InlineData("Id", "", "Suppression:Webhooks:Endpoints:0:Id")]
    [InlineData("Url", "hooks.example.com/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "ftp://hooks.example.com/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "http://hooks.example.com/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://user:pass@hooks.example.com/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://127.0.0.1/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://10.1.2.3/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://169.254.169.254/latest", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://100.64.0.1/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://[::1]/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://[fd00::1]/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://[::ffff:192.168.0.1]/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Url", "https://localhost/in", "Suppression:Webhooks:Endpoints:0:Url")]
    [InlineData("Secret", "", "Suppression:Webhooks:Endpoints:0:Secret")]
    [InlineData("Secret", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0", "Suppression:Webhooks:Endpoints:0:Secret")]
    [InlineData("Secret", "whsec_c2hvcnQ=", "Suppression:Webhooks:Endpoints:0:Secret")]
    [InlineData("Secret", "whsec_not base64!", "Suppression:Webhooks:Endpoints:0:Secret")]
    [InlineData("Events:0", "suppression.create", "Suppression:Webhooks:Endpoints:0:Events")]
    [InlineData("Tenants:0", " ", "Suppression:Webhooks:Endpoints:0:Tenants")]
    [InlineData("Concurrency", "0", "Suppression:Webhooks:Endpoints:0:Concurrency")]
    [InlineData("Concurrency", "65", "Suppression:Webhooks:Endpoints:0:Concurrency")]
    [InlineData("IncludeAdress", "false", "Suppression:Webhooks:Endpoints:N:IncludeAdress")]
    public void Read_bad_endpoint_key_is_one_line_naming_it(string field, string value, string key)
    {
        var settings = Endpoint();
        settings[$"Suppression:Webhooks:Endpoints:0:{field}"] = value;

        var error = Assert.Throws<GatewayConfigurationException>(() => Read(settings));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith(key + ": ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, line, StringComparison.Ordinal);
        Assert.DoesNotContain("user:pass", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Read_misspelt_webhooks_key_is_unknown()
    {
        var settings = Endpoint();
        settings["Suppression:Webhooks:AllowPrivateNetwork"] = "true";

        var line = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Read(settings)).Errors);

        Assert.Equal("Suppression:Webhooks:AllowPrivateNetwork: unknown configuration key (misspelt?)", line);
    }

    [Fact]
    public void Read_duplicate_id_names_the_second_endpoint()
    {
        var settings = Endpoint();
        foreach (var (key, value) in Endpoint(1, url: "https://other.example.com/in"))
        {
            settings[key] = value;
        }

        var line = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Read(settings)).Errors);

        Assert.StartsWith("Suppression:Webhooks:Endpoints:1:Id: ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/in")]
    [InlineData("https://10.1.2.3/in")]
    [InlineData("http://localhost:3000/")]
    public void Read_private_or_http_url_is_accepted_when_private_networks_are_allowed(string url)
    {
        var settings = Endpoint(url: url);
        settings["Suppression:Webhooks:AllowPrivateNetworks"] = "true";

        Assert.Equal(url, Assert.Single(Read(settings).Webhooks.Endpoints).Url);
    }

    [Fact]
    public void Read_rotation_accepts_several_secrets()
    {
        var settings = Endpoint();
        settings["Suppression:Webhooks:Endpoints:0:Secret"] = Secret + " whsec_" + Convert.ToBase64String(new byte[24]);

        Assert.True(WebhookSecret.TryParseKeys(Assert.Single(Read(settings).Webhooks.Endpoints).Secret, out var keys));
        Assert.Equal(2, keys.Count);
    }

    [Fact]
    public void Subscriptions_carry_each_endpoints_events_tenants_and_address_choice()
    {
        var settings = Endpoint();
        settings["Suppression:Webhooks:Endpoints:0:Events:0"] = "unsubscribe.received";
        settings["Suppression:Webhooks:Endpoints:0:Tenants:0"] = "acme";
        settings["Suppression:Webhooks:Endpoints:0:IncludeAddress"] = "false";

        var subscription = Assert.Single(WebhookRegistration.Subscriptions(Read(settings).Webhooks));

        Assert.Equal("crm", subscription.EndpointId);
        Assert.Equal(["unsubscribe.received"], subscription.Events);
        Assert.Equal(["acme"], subscription.Tenants);
        Assert.False(subscription.IncludeAddress);
    }

    [Fact]
    public void Endpoint_display_url_leaves_out_the_query()
    {
        var endpoint = WebhookEndpoint.From(Assert.Single(Read(Endpoint()).Webhooks.Endpoints));

        Assert.Equal("https://hooks.example.com/in", endpoint.DisplayUrl);
    }
}
