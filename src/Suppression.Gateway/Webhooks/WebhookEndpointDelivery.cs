using System.Collections.Concurrent;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>
/// One pass over one endpoint's backlog: while this instance holds the endpoint's lease, the due
/// events, oldest first, several at a time, each outcome recorded in the backlog (README, Webhooks:
/// 2xx delivered, 410 disables, 429/503 wait their Retry-After, anything else follows the retry
/// schedule and, after the last attempt, goes to the dead-letter list). An endpoint in an outage is
/// probed with one event a pass; once it answers, what the outage deferred is due again at once.
/// </summary>
public sealed class WebhookEndpointDelivery(
    WebhookEndpoint endpoint, IWebhookBacklog backlog, IWebhookSender sender, string instance, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Renewed every pass and every third of it while one runs, so a pass of slow answers keeps it;
    /// short, because an instance that dies holding it delays its endpoint's events this long.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    /// <summary>Events taken per pass; a full batch makes the caller come back at once.</summary>
    public const int BatchSize = 256;

    /// <summary>
    /// Attempts in flight at once unless the endpoint sets <c>Concurrency</c>: enough for thousands
    /// of events a second to a receiver answering in a few milliseconds, few enough not to flood one.
    /// Events within this window may arrive out of order; the payload's chain and sequence order them.
    /// </summary>
    public const int Parallelism = 16;

    /// <summary>
    /// Consecutive failed attempts (no success between them) from which the endpoint counts as down:
    /// a pass then sends one event, not a batch, so an outage neither floods the receiver as it comes
    /// back nor spends every queued event's attempts. A single event the receiver refuses, among
    /// others it takes, never gets here: any success resets the count.
    /// </summary>
    public const int OutageFailures = 3;

    public string EndpointId => endpoint.Id;

    /// <returns>How many events this pass took (0 when not the lease holder, disabled, or nothing is due).</returns>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (!await backlog.TryHoldAsync(endpoint.Id, instance, Lease, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var state = await backlog.StateAsync(endpoint.Id, cancellationToken).ConfigureAwait(false);
        if (state.Disabled)
        {
            return 0;
        }

        var probing = state.ConsecutiveFailures >= OutageFailures;
        var due = await backlog.DueAsync(endpoint.Id, time.GetUtcNow(), probing ? 1 : BatchSize, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return 0;
        }

        var delivered = await SendAsync(due, cancellationToken).ConfigureAwait(false);
        if (!probing || delivered == 0)
        {
            return due.Count;
        }

        // The probe went through: the receiver is back. What the outage deferred is due now, oldest
        // first, and this pass goes on with a full batch rather than waiting out the schedule.
        var resumed = await backlog.ResumeAsync(endpoint.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        logger.WebhookEndpointResumed(endpoint.Id, state.ConsecutiveFailures, resumed);
        return due.Count + await DeliverDueAsync(cancellationToken).ConfigureAwait(false);
    }

    // Sends a batch, the endpoint's Concurrency at a time, keeping the lease while it runs; records the failures as
    // they come and the successes together at the end. Returns how many were delivered.
    private async Task<int> SendAsync(IReadOnlyList<QueuedWebhook> due, CancellationToken cancellationToken)
    {
        var delivered = new ConcurrentQueue<string>();

        // A 410, or the lease lost, stops the rest of the batch: what was not sent stays queued.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var keepingLease = KeepLeaseAsync(stop);
        try
        {
            await Parallel.ForEachAsync(
                due,
                new ParallelOptions { MaxDegreeOfParallelism = endpoint.Concurrency, CancellationToken = stop.Token },
                async (webhook, token) =>
                {
                    // The flag, not the token: CancelAsync reaches Parallel's own token a moment later.
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    var attempt = await sender.SendAsync(endpoint, webhook, token).ConfigureAwait(false);
                    if (attempt.Result == WebhookAttemptResult.Delivered)
                    {
                        delivered.Enqueue(webhook.EventId);
                    }
                    else if (await RecordAsync(webhook, attempt, cancellationToken).ConfigureAwait(false))
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Disabled mid-batch, or another instance took the endpoint.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await keepingLease.ConfigureAwait(false);
        }

        // One write for the batch's successes. A crash before it sends them again: the documented
        // at-least-once duplicate, with the same webhook-id.
        if (!delivered.IsEmpty)
        {
            await backlog.DeliveredAsync(endpoint.Id, [.. delivered], time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            WebhookTelemetry.CountDelivered(endpoint.Id, delivered.Count);
            foreach (var eventId in delivered)
            {
                logger.WebhookDelivered(eventId, endpoint.Id);
            }
        }

        return delivered.Count;
    }

    // Renews the lease every third of it until the batch ends; a renewal refused (it lapsed and
    // another instance holds it now) stops the batch, so two instances never send side by side.
    private async Task KeepLeaseAsync(CancellationTokenSource stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 3, time, stop.Token).ConfigureAwait(false);
                if (!await backlog.TryHoldAsync(endpoint.Id, instance, Lease, stop.Token).ConfigureAwait(false))
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The batch ended.
        }
    }

    /// <returns>True when the endpoint is now disabled.</returns>
    private async Task<bool> RecordAsync(QueuedWebhook webhook, WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        switch (attempt.Result)
        {
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
