using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>One gateway per backend in front of one scriptable sink, shared by a test class (tests reset the sink).</summary>
public sealed class RelayFixture : IAsyncLifetime
{
    private readonly Dictionary<string, GatewayInstance> _gateways = [];

    public TestSmtpSink Sink { get; } = new();

    public async Task<GatewayInstance> GatewayAsync(string backend)
    {
        if (!_gateways.TryGetValue(backend, out var gateway))
        {
            gateway = await GatewayInstance.StartAsync(GatewayInstance.RedisFor(backend), Sink.Port);
            _gateways[backend] = gateway;
        }

        Sink.Messages.Clear();
        Sink.RcptReply = _ => null;
        Sink.DataReply = _ => null;
        Sink.DropConnectionAfterData = false;
        Sink.Greeting = _ => null;
        Sink.Extensions = ["8BITMIME", "SMTPUTF8"];
        return gateway;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        await Sink.DisposeAsync();
    }
}
