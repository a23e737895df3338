using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Telemetry;

/// <summary>One gateway (embedded store) in front of a scriptable sink, configured for <see cref="Traffic"/>; tests reset the sink.</summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    private GatewayInstance? _gateway;

    public TestSmtpSink Sink { get; } = new();

    public GatewayInstance Gateway => _gateway ?? throw new InvalidOperationException("The fixture is not initialized.");

    public GatewayInstance Reset()
    {
        Sink.Messages.Clear();
        Sink.RcptReply = _ => null;
        Sink.DataReply = _ => null;
        Sink.DropConnectionAfterData = false;
        return Gateway;
    }

    public async Task InitializeAsync()
    {
        _gateway = await GatewayInstance.StartAsync(null, Sink.Port, Traffic.Settings());
        await _gateway.WarmUpAsync();
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
    }
}
