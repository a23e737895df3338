using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// A gateway that does not retry the upstream itself, so that each of a test client's attempts is
/// one upstream attempt per copy, in front of one scriptable sink; and a tenant whose sender logs in
/// (in clear text, on loopback) so its mail is classified for it. Tests reset the sink.
/// </summary>
public sealed class RetryingClientFixture : IAsyncLifetime
{
    public const string Tenant = "acme";
    public const string Username = "acme-mailer";
    public const string Password = "correct horse battery staple";

    public TestSmtpSink Sink { get; } = new();

    public GatewayInstance Gateway { get; private set; } = null!;

    public GatewayInstance Reset()
    {
        Sink.Messages.Clear();
        Sink.RcptReply = _ => null;
        Sink.DataReply = _ => null;
        return Gateway;
    }

    public async Task InitializeAsync() =>
        Gateway = await GatewayInstance.StartAsync(null, Sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Upstream:RetryAttempts"] = "0",
            ["Suppression:Smtp:AllowPlaintextAuth"] = "true",
            ["Suppression:Tenants:0:Id"] = Tenant,
            ["Suppression:Tenants:0:SmtpUsers:0:Username"] = Username,
            ["Suppression:Tenants:0:SmtpUsers:0:Password"] = Password,
        });

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
