using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>One gateway with feedback addresses and the default parse limits, relaying to a test sink.</summary>
public sealed class StrangerCostFixture : IAsyncLifetime
{
    public TestSmtpSink Sink { get; } = new();

    public GatewayInstance Gateway { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Gateway = await GatewayInstance.StartAsync(redis: null, Sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Feedback:Addresses:0"] = "bounces@gateway.test",
            ["Suppression:Feedback:MaxKeptPerSource"] = "3",
        });

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
