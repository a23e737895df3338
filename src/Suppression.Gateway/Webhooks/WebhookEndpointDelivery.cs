using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// One pass over one endpoint's backlog: while this instance holds the endpoint's lease, the due
/// events, oldest first, a few at a time, each outcome recorded in the backlog (README, Webhooks:
/// 2xx delivered, 410 disables, 429/503 wait their Retry-After, anything else follows the retry
/// schedule and, after the last attempt, goes to the dead-letter list).
/// </summary>
public sealed class WebhookEndpointDelivery(
    WebhookEndpoint endpoint, IWebhookBacklog backlog, IWebhookSender sender, string instance, TimeProvider time, ILogger logger)
{
    /// <summary>Long enough to outlast a pass of slow receivers (15 s each); renewed every pass.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>Events taken per pass; a full batch makes the caller come back at once.</summary>
    public const int BatchSize = 32;

    /// <summary>Attempts in flight at once: a receiver gets a little parallelism, not a flood, and order mostly holds.</summary>
    public const int Parallelism = 4;

    public string EndpointId => endpoint.Id;

    /// <returns>How many events this pass took (0 when not the lease holder, disabled, or nothing is due).</returns>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (!await backlog.TryHoldAsync(endpoint.Id, instance, Lease, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var due = await backlog.DueAsync(endpoint.Id, time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0 || (await backlog.StateAsync(endpoint.Id, cancellationToken).ConfigureAwait(false)).Disabled)
        {
            return 0;
        }

        // A 410 stops the rest of the batch: the receiver asked for nothing more.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = gone.Token },
                async (webhook, token) =>
                {
                    // The flag, not the token: CancelAsync reaches Parallel's own token a moment later.
                    if (gone.IsCancellationRequested)
                    {
                        return;
                    }

                    var attempt = await sender.SendAsync(endpoint, webhook, token).ConfigureAwait(false);
                    if (await RecordAsync(webhook, attempt, cancellationToken).ConfigureAwait(false))
                    {
                        await gone.CancelAsync().ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Disabled mid-batch; what was not sent stays queued.
        }

        return due.Count;
    }

    /// <returns>True when the endpoint is now disabled.</returns>
    private async Task<bool> RecordAsync(QueuedWebhook webhook, WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (attempt.Result)
        {
            case WebhookAttemptResult.Delivered:
                await backlog.DeliveredAsync(endpoint.Id, webhook.EventId, now, cancellationToken).ConfigureAwait(false);
                WebhookTelemetry.CountDelivered(endpoint.Id);
                logger.WebhookDelivered(webhook.EventId, endpoint.Id);
                return false;
            case WebhookAttemptResult.Gone:
                // The event stays queued: it is sent once an operator enables the endpoint again.
                await backlog.DisableAsync(endpoint.Id, attempt.Failure ?? "410 Gone", now, cancellationToken).ConfigureAwait(false);
                WebhookTelemetry.CountFailure(endpoint.Id, "gone");
                logger.WebhookEndpointGone(endpoint.Id);
                return true;
            default:
                var failure = attempt.Failure ?? "failed";
                var attempts = webhook.Attempts + 1;
                WebhookTelemetry.CountFailure(endpoint.Id, Outcome(failure));
                // Retry-After moves the next attempt, not the count: a receiver answering 429 for ever still ends in the dead-letter list.
                if (WebhookRetrySchedule.DelayAfter(attempts) is not { } scheduled)
                {
                    await backlog.DeadLetterAsync(endpoint.Id, webhook.EventId, failure, cancellationToken).ConfigureAwait(false);
                    WebhookTelemetry.CountDeadLettered(endpoint.Id);
                    logger.WebhookDeadLettered(webhook.EventId, endpoint.Id, failure);
                    return false;
                }

                var delay = attempt.RetryAfter ?? scheduled;
                await backlog.RetryAsync(endpoint.Id, webhook.EventId, now + delay, failure, cancellationToken).ConfigureAwait(false);
                WebhookTelemetry.CountRetried(endpoint.Id);
                logger.WebhookRetryScheduled(webhook.EventId, endpoint.Id, failure, attempts, now + delay);
                return false;
        }
    }

    // A low-cardinality tag from the one-line failure: the status, or the kind of error.
    private static string Outcome(string failure) =>
        failure.StartsWith("HTTP ", StringComparison.Ordinal) ? failure[5..Math.Min(failure.Length, 8)]
        : failure.StartsWith("no answer", StringComparison.Ordinal) ? "timeout"
        : "connection";
}
