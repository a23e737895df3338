using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suppression.Audit;
using Suppression.Redis.Connection;
using Suppression.Redis.Hosting;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Audit;

/// <summary>Cuts blocked-delivery records past <c>Suppression:Audit:BlockedRetention</c>, every <c>RetentionInterval</c>.</summary>
public sealed class AuditRetentionService(
    SuppressionStorage storage, RedisKeyLayout layout, AuditKey key, IOptions<StoreHostOptions> options, TimeProvider time, ILogger<AuditRetentionService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;

        // Built once the store has started: this service is built before it, with every hosted service.
        await storage.WhenReadyAsync(stoppingToken);
        var cutter = new RedisAuditRetention(storage.StartedConnection, layout, key);

        // Not at once: a start-up (or a test's) should not begin with a walk over every bucket.
        await Task.Delay(TimeSpan.FromMinutes(1) < retention.RetentionInterval ? TimeSpan.FromMinutes(1) : retention.RetentionInterval, time, stoppingToken);
        using var timer = new PeriodicTimer(retention.RetentionInterval, time);
        do
        {
            try
            {
                var removed = await cutter.CutAsync(time.GetUtcNow() - retention.BlockedRetention, stoppingToken);
                if (removed > 0)
                {
                    logger.AuditRetentionRemoved(removed, retention.BlockedRetention.TotalDays);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Redis down: nothing is lost by trying again next time.
                logger.AuditRetentionFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
