using Microsoft.Extensions.Logging;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>
/// Logs never hold a clear address at Information or above, whatever passes through the gateway:
/// upstream replies that name the recipient, parser complaints that quote a report, evidence notes.
/// The levels are the shipped ones (appsettings.json: Microsoft.AspNetCore at Warning) with the
/// default lowered to Information, as an operator would run it.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class LogPrivacyTests
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task No_log_line_at_information_or_above_holds_an_address(string backend)
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(
            GatewayInstance.RedisFor(backend), sink.Port, Traffic.Settings(new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" }));
        var log = CapturedLog.AttachTo(gateway, LogLevel.Information);
        await gateway.WarmUpAsync();

        var addresses = await Traffic.RunAsync(gateway, sink);

        // The lines that handle the upstream's words and a report's problems were written, redacted.
        Assert.Contains(log.Entries, line => line.Contains("Retrying upstream delivery", StringComparison.Ordinal) && line.Contains("[address]", StringComparison.Ordinal));
        Assert.Contains(log.Entries, line => line.Contains("first failure", StringComparison.Ordinal) && line.Contains("[address]", StringComparison.Ordinal));
        Assert.Contains(log.Entries, line => line.Contains("not understood", StringComparison.Ordinal));
        Assert.Contains(log.Entries, line => line.Contains("re-consent", StringComparison.Ordinal));
        Assert.Contains(log.Entries, line => line.Contains("AUTH succeeded for [address] (tenant acme)", StringComparison.Ordinal));
        foreach (var address in addresses)
        {
            var local = address[..address.IndexOf('@', StringComparison.Ordinal)];
            Assert.DoesNotContain(log.Entries, line => line.Contains(local, StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(log.Entries, line => line.Contains("@example.com", StringComparison.OrdinalIgnoreCase));
    }
}
