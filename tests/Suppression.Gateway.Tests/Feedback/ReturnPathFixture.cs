using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// A gateway with a global return-path domain and a tenant (clients from 127.0.0.3) with its own and a bounce forward address,
/// relaying to a test sink; only 127.0.0.1 and 127.0.0.3 may relay, so other loopback addresses are strangers.
/// </summary>
public sealed class ReturnPathFixture : IAsyncLifetime
{
    public const string GlobalDomain = "bounces.sender.test";
    public const string TenantDomain = "rp.acme.test";
    public const string TenantBounceAddress = "bounces@acme.test";

    // Low, so a test reaches it with a few reports.
    public const int SoftBounceLimit = 2;

    public TestSmtpSink Sink { get; } = new();

    public GatewayInstance Gateway { get; private set; } = null!;

    public GatewayInstance Reset()
    {
        Sink.Messages.Clear();
        Sink.RcptReply = _ => null;
        return Gateway;
    }

    public async Task InitializeAsync() =>
        Gateway = await GatewayInstance.StartAsync(redis: null, Sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:RelayNetworks:0"] = "127.0.0.1/32",
            ["Suppression:Feedback:ReturnPathDomain"] = GlobalDomain,
            ["Suppression:Feedback:SoftBounceLimit"] = SoftBounceLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Suppression:Tenants:0:Id"] = "acme",
            ["Suppression:Tenants:0:Networks:0"] = "127.0.0.3/32",
            ["Suppression:Tenants:0:ReturnPathDomain"] = TenantDomain,
            ["Suppression:Tenants:0:BounceForwardAddress"] = TenantBounceAddress,
        });

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
