using Suppression.Gateway.Configuration;
using Suppression.Gateway.Storage;
using Suppression.Redis.Audit;

namespace Suppression.Gateway.Hosting;

/// <summary>Cuts blocked-delivery records past <c>Suppression:Audit:BlockedRetention</c>, every <c>RetentionInterval</c>.</summary>
// The retention is resolved when it first runs: hosted services are built before the storage
// service has connected, and the retention needs the connection.
public sealed class AuditRetentionService(Func<RedisAuditRetention> retention, AuditOptions options, TimeProvider time, ILogger<AuditRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not at once: a start-up (or a test's) should not begin with a walk over every bucket.
        await Task.Delay(TimeSpan.FromMinutes(1) < options.RetentionInterval ? TimeSpan.FromMinutes(1) : options.RetentionInterval, time, stoppingToken);
        using var timer = new PeriodicTimer(options.RetentionInterval, time);
        do
        {
            try
            {
                var removed = await retention().CutAsync(time.GetUtcNow() - options.BlockedRetention, stoppingToken);
                if (removed > 0)
                {
                    logger.AuditRetentionRemoved(removed, options.BlockedRetention.TotalDays);
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
