using Suppression.Suppressions;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// Runs each configured endpoint's delivery for the life of the process: a pass, then another at
/// once when the batch was full, or after a short poll, so a new event reaches an idle receiver
/// well within a second. Every instance runs this; the lease makes one of them deliver an endpoint.
/// </summary>
public sealed class WebhookDeliveryService(
    IServiceProvider services, IReadOnlyList<WebhookEndpoint> endpoints, TimeProvider time, ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the gauges' state is fetched; a scrape reads the last one.</summary>
    public static readonly TimeSpan StateInterval = TimeSpan.FromSeconds(10);

    // Unique per process: a restarted instance does not inherit its predecessor's lease, it waits for it to lapse.
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The backlog is built from the store's connection, which exists once the store has started.
        await services.GetRequiredService<ISuppressionStoreReadiness>().WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        var backlog = services.GetRequiredService<IWebhookBacklog>();
        var sender = services.GetRequiredService<IWebhookSender>();
        logger.WebhookDeliveryStarted(endpoints.Count, _instance);
        await Task.WhenAll(endpoints.Select(endpoint =>
            RunAsync(new WebhookEndpointDelivery(endpoint, backlog, sender, _instance, time, logger), backlog, stoppingToken))).ConfigureAwait(false);
    }

    /// <summary>One endpoint's loop until the host stops; a store failure is logged and the loop goes on.</summary>
    public async Task RunAsync(WebhookEndpointDelivery delivery, IWebhookBacklog backlog, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(backlog);
        var stateDue = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                taken = await delivery.DeliverDueAsync(stoppingToken).ConfigureAwait(false);
                if (time.GetUtcNow() >= stateDue)
                {
                    WebhookTelemetry.Observe(await backlog.StateAsync(delivery.EndpointId, stoppingToken).ConfigureAwait(false), time.GetUtcNow());
                    stateDue = time.GetUtcNow() + StateInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The store unavailable, most likely; the next pass tries again, and nothing is lost.
                logger.WebhookStoreUnavailable(delivery.EndpointId, exception);
            }

            if (taken < WebhookEndpointDelivery.BatchSize)
            {
                try
                {
                    await Task.Delay(PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
