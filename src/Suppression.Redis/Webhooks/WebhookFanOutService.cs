using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Suppression.Audit;
using Suppression.Redis.Connection;
using Suppression.Redis.Layout;

namespace Suppression.Redis.Webhooks;

/// <summary>
/// Runs the fan-out a few times a second (an event should reach its endpoint's backlog well within a
/// second), the review queue's fan-out after it, and the sweep at start-up and every minute.
/// Registered only when endpoints are configured.
/// </summary>
public sealed class WebhookFanOutService(
    SuppressionStorage storage, RedisKeyLayout layout, WebhookOutbox outbox, AuditKey auditKey, TimeProvider time, ILogger<WebhookFanOutService> logger)
    : BackgroundService
{
    private static readonly TimeSpan FanOutInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Built once the store has started: hosted services are built before it.
        await storage.WhenReadyAsync(stoppingToken);
        var backlog = new RedisWebhookBacklog(storage.StartedConnection, layout);
        var fanOut = new WebhookFanOut(storage.StartedConnection, layout, backlog, outbox, time);
        var reviews = new FeedbackReviewFanOut(storage.StartedConnection, layout, backlog, outbox, auditKey);
        var nextSweep = time.GetUtcNow();
        using var timer = new PeriodicTimer(FanOutInterval, time);
        do
        {
            try
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    var found = await fanOut.SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + SweepInterval;
                    if (found > 0)
                    {
                        logger.WebhookOutboxesSwept(found);
                    }
                }

                await fanOut.RunAsync(stoppingToken);
                await reviews.RunAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Redis down: the pointers stay in the outboxes, and the next tick tries again.
                logger.WebhookFanOutFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
