using System.Net;
using System.Net.Http.Headers;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>GET /metrics: the Prometheus text format, with the gateway's, ASP.NET Core's, Kestrel's, the runtime's and Polly's metrics, and no address.</summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class MetricsEndpointTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private const string MetricsKey = "metrics-key-0123456789";

    [Fact]
    public async Task Metrics_answers_prometheus_text_with_the_gateway_and_platform_metrics_and_no_address()
    {
        var gateway = fixture.Reset();
        var addresses = await Traffic.RunAsync(gateway, fixture.Sink);

        using var scraper = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        using var response = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        foreach (var metric in new[]
        {
            "suppression_smtp_messages_received_total{",
            "suppression_smtp_messages_relayed_total{",
            "suppression_smtp_recipients_blocked_total{",
            "suppression_smtp_recipient_check_duration_milliseconds_bucket{",
            "suppression_upstream_duration_milliseconds_bucket{",
            "suppression_upstream_failures_total{",
            "suppression_unsubscribe_requests_total{",
            "suppression_audit_records_total{",
            "suppression_import_rows_total{",
            "suppression_feedback_reports_total{",
            "suppression_smtp_active_sessions",
            "http_server_request_duration_seconds_bucket{",
            "kestrel_active_connections",
            "dotnet_gc_collections_total",
            "resilience_polly_strategy_events_total{",
        })
        {
            Assert.Contains(metric, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('@', text);
        Assert.All(addresses, address => Assert.DoesNotContain(address[..address.IndexOf('@', StringComparison.Ordinal)], text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_metrics_keys_a_scrape_needs_one_as_a_bearer_key()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string> { ["Suppression:Metrics:ApiKeys:0"] = MetricsKey });
        using var scraper = new HttpClient { BaseAddress = gateway.Http.BaseAddress };

        using (var anonymous = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.ToString());
            Assert.DoesNotContain("suppression_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The admin key is not a metrics key.
        using (var admin = await gateway.Http.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        }

        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MetricsKey);
        using var scraped = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_false_removes_the_endpoint()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string> { ["Suppression:Metrics:Prometheus"] = "false" });

        using var response = await gateway.Http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
