using System.Text;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>
/// With OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs go to the collector over OTLP; and
/// nothing the gateway exports holds an address or an unsubscribe token. The OTEL_* settings are read
/// from the configuration, so the test passes them as command-line settings, not process-wide variables.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Traces_metrics_and_logs_reach_the_collector_without_an_address_or_a_token()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var sink = new TestSmtpSink();
        var gateway = await GatewayInstance.StartAsync(null, sink.Port, Traffic.Settings(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["Logging:LogLevel:Default"] = "Information",
        }));
        IReadOnlyList<string> addresses;
        List<string> tokens;
        try
        {
            await gateway.WarmUpAsync();
            addresses = await Traffic.RunAsync(gateway, sink);
            tokens = sink.Messages.Select(copy => Traffic.LinkOf(copy).Segments[^1]).ToList();
            Assert.NotEmpty(tokens);
            Assert.True(
                await Eventually.TrueAsync(() => Task.FromResult(new[] { "traces", "metrics", "logs" }.All(signal => collector.Bodies(signal).Any())), TimeSpan.FromSeconds(20)),
                "signals received: " + string.Join(", ", collector.Requests.Select(request => request.Signal).Distinct()));
        }
        finally
        {
            // Stopping flushes what the exporters still hold.
            await gateway.DisposeAsync();
        }

        Assert.Contains(collector.Bodies("traces"), body => Holds(body, "smtp transaction"));
        Assert.Contains(collector.Bodies("traces"), body => Holds(body, "POST /u/{token}"));
        Assert.Contains(collector.Bodies("metrics"), body => Holds(body, "suppression.smtp.messages.received"));
        Assert.Contains(collector.Bodies("logs"), body => Holds(body, "copies accepted upstream"));
        foreach (var (signal, body) in collector.Requests)
        {
            foreach (var address in addresses)
            {
                Assert.False(Holds(body, address[..address.IndexOf('@', StringComparison.Ordinal)]), $"{signal} export holds {address}");
            }

            Assert.False(Holds(body, "@example.com"), $"{signal} export holds an address");
            foreach (var token in tokens)
            {
                Assert.False(Holds(body, token[..24]), $"{signal} export holds an unsubscribe token");
            }
        }
    }

    private static bool Holds(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
