using Suppression.Redis.Connection;
using Suppression.Redis.Suppressions;

namespace Suppression.Gateway.Hosting;

/// <summary>
/// Starts the suppression store, first of the hosted services, so it is up before Kestrel accepts
/// SMTP or HTTP, and stops it after Kestrel has drained.
/// </summary>
public sealed class StoreStart(SuppressionStorage storage) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.StartAsync(cancellationToken);
        }
        catch (UnknownStorageFormatException exception)
        {
            // A later version's values may be unreadable here, and an entry read as none is mail
            // delivered to someone who opted out: refuse to start, one line for the operator.
            throw new GatewayConfigurationException([exception.Message]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => storage.StopAsync(cancellationToken);
}
