using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Suppression.Gateway.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Gateway.Tests.Webhooks;

/// <summary>One endpoint's delivery against the backlog seam in memory: order, the lease, and what each outcome records.</summary>
public sealed class WebhookEndpointDeliveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryWebhookBacklog _backlog = new();
    private readonly ScriptedSender _sender = new();

    private sealed class ScriptedSender : IWebhookSender
    {
        public ConcurrentQueue<string> Sent { get; } = new();

        public Func<QueuedWebhook, WebhookAttempt> Answer { get; set; } = _ => WebhookAttempt.Delivered;

        public Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, QueuedWebhook webhook, CancellationToken cancellationToken)
        {
            Sent.Enqueue(webhook.EventId);
            return Task.FromResult(Answer(webhook));
        }
    }

    private WebhookEndpointDelivery Delivery(string instance = "instance-a") => new(
        WebhookEndpoint.From(new WebhookEndpointOptions { Id = "crm", Url = "https://hooks.example.com/in", Secret = WebhookOptionsTests.Secret }),
        _backlog, _sender, instance, _time, NullLogger.Instance);

    private void Queue(int count, int attempts = 0)
    {
        for (var index = 0; index < count; index++)
        {
            _backlog.Add(new QueuedWebhook($"evt_{index:D3}", Start.AddSeconds(index), "suppression.created", "{}", attempts), Start);
        }
    }

    [Fact]
    public async Task DeliverDue_takes_the_oldest_batch_first_and_the_rest_next_pass()
    {
        Queue(WebhookEndpointDelivery.BatchSize + 8);
        var delivery = Delivery();

        Assert.Equal(WebhookEndpointDelivery.BatchSize, await delivery.DeliverDueAsync(CancellationToken.None));
        var firstPass = _sender.Sent.ToHashSet();
        Assert.Equal(8, await delivery.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(Enumerable.Range(0, WebhookEndpointDelivery.BatchSize).Select(index => $"evt_{index:D3}").ToHashSet(), firstPass);
        Assert.Equal(WebhookEndpointDelivery.BatchSize + 8, _backlog.Delivered.Count);
        Assert.Equal(0, await delivery.DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeliverDue_sends_nothing_while_another_instance_holds_the_lease()
    {
        Queue(3);
        _backlog.LeaseHolder = "instance-b";

        Assert.Equal(0, await Delivery("instance-a").DeliverDueAsync(CancellationToken.None));

        Assert.Empty(_sender.Sent);
        Assert.Empty(_backlog.Delivered);
    }

    [Fact]
    public async Task DeliverDue_after_the_lease_passes_to_another_instance_leaves_the_rest_to_it()
    {
        Queue(2);
        var first = Delivery("instance-a");
        await first.DeliverDueAsync(CancellationToken.None);
        Queue(4);
        _backlog.LeaseHolder = "instance-b";

        Assert.Equal(0, await first.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(4, await Delivery("instance-b").DeliverDueAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 5 * 60)]
    [InlineData(2, 30 * 60)]
    [InlineData(3, 2 * 3600)]
    [InlineData(4, 5 * 3600)]
    [InlineData(5, 10 * 3600)]
    [InlineData(6, 10 * 3600)]
    [InlineData(10, 10 * 3600)]
    public async Task DeliverDue_failure_is_retried_on_the_standard_webhooks_schedule(int attemptsBefore, int delaySeconds)
    {
        Queue(1, attemptsBefore);
        _sender.Answer = _ => new WebhookAttempt(WebhookAttemptResult.Failed, Failure: "HTTP 500");

        await Delivery().DeliverDueAsync(CancellationToken.None);

        Assert.Equal(("evt_000", Start.AddSeconds(delaySeconds), "HTTP 500"), Assert.Single(_backlog.Retries));
        Assert.Empty(_backlog.DeadLetters);
    }

    [Fact]
    public void Retry_schedule_spans_about_three_days()
    {
        var total = Enumerable.Range(1, WebhookRetrySchedule.Attempts - 1).Sum(attempt => WebhookRetrySchedule.DelayAfter(attempt)!.Value.TotalHours);

        Assert.Equal(12, WebhookRetrySchedule.Attempts);
        Assert.InRange(total, 2.5 * 24, 3.5 * 24);
        Assert.Null(WebhookRetrySchedule.DelayAfter(WebhookRetrySchedule.Attempts));
    }

    [Fact]
    public async Task DeliverDue_endpoint_down_is_probed_with_one_event_a_pass()
    {
        Queue(100);
        _sender.Answer = _ => new WebhookAttempt(WebhookAttemptResult.Failed, Failure: "ConnectionError: Connection refused");
        var delivery = Delivery();

        await delivery.DeliverDueAsync(CancellationToken.None);
        var firstPass = _sender.Sent.Count;
        _time.Advance(TimeSpan.FromSeconds(5));
        await delivery.DeliverDueAsync(CancellationToken.None);
        await delivery.DeliverDueAsync(CancellationToken.None);

        // The first pass found it down; each pass after sends one event, not the backlog.
        Assert.Equal(100, firstPass);
        Assert.Equal(102, _sender.Sent.Count);
    }

    [Fact]
    public async Task DeliverDue_endpoint_back_after_an_outage_gets_every_deferred_event_at_once()
    {
        // Each has failed twice already: the next failure defers it 30 minutes.
        Queue(40, attempts: 2);
        var down = true;
        _sender.Answer = _ => down ? new WebhookAttempt(WebhookAttemptResult.Failed, Failure: "ConnectionError: Connection refused") : WebhookAttempt.Delivered;
        var delivery = Delivery();
        await delivery.DeliverDueAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(40, _backlog.DeferredAt(_time.GetUtcNow()));

        // Back: the probe goes through, and the same pass delivers everything the outage deferred,
        // ten minutes in, not at the 30-minute slot.
        down = false;
        _backlog.Add(new QueuedWebhook("evt_new", _time.GetUtcNow(), "suppression.created", "{}", 0), _time.GetUtcNow());
        Assert.Equal(41, await delivery.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(41, _backlog.Delivered.Count);
        Assert.Equal(0, _backlog.ConsecutiveFailures);
    }

    [Fact]
    public async Task DeliverDue_one_refused_event_among_delivered_ones_keeps_its_own_schedule()
    {
        Queue(10);
        _sender.Answer = webhook => webhook.EventId == "evt_003" ? new WebhookAttempt(WebhookAttemptResult.Failed, Failure: "HTTP 500") : WebhookAttempt.Delivered;
        var delivery = Delivery();

        await delivery.DeliverDueAsync(CancellationToken.None);
        Queue(1);
        await delivery.DeliverDueAsync(CancellationToken.None);

        // Not an outage: no resume pulled it forward, it waits its 5 s.
        Assert.Equal(("evt_003", Start.AddSeconds(5), "HTTP 500"), Assert.Single(_backlog.Retries));
        Assert.Equal(1, _backlog.DeferredAt(_time.GetUtcNow()));
    }

    [Fact]
    public async Task DeliverDue_lease_lost_during_a_pass_stops_sending()
    {
        Queue(WebhookEndpointDelivery.BatchSize);
        var blocking = new BlockingSender();
        var delivery = new WebhookEndpointDelivery(
            WebhookEndpoint.From(new WebhookEndpointOptions { Id = "crm", Url = "https://hooks.example.com/in", Secret = WebhookOptionsTests.Secret }),
            _backlog, blocking, "instance-a", _time, NullLogger.Instance);

        var pass = delivery.DeliverDueAsync(CancellationToken.None);
        await blocking.InFlight.WaitAsync(TimeSpan.FromSeconds(10));
        _backlog.LeaseHolder = "instance-b";
        _time.Advance(WebhookEndpointDelivery.Lease / 3);
        await pass.WaitAsync(TimeSpan.FromSeconds(10));

        // Only the attempts already in flight when the renewal was refused went out.
        Assert.InRange(blocking.Sent, 1, WebhookEndpointDelivery.Parallelism);
    }

    // Answers nothing until the pass gives up on it.
    private sealed class BlockingSender : IWebhookSender
    {
        private int _sent;
        private readonly TaskCompletionSource _inFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Sent => _sent;

        public Task InFlight => _inFlight.Task;

        public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, QueuedWebhook webhook, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            _inFlight.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return WebhookAttempt.Delivered;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task DeliverDue_keeps_no_more_attempts_in_flight_than_the_endpoints_concurrency(int concurrency)
    {
        Queue(40);
        var counting = new CountingSender();
        var delivery = new WebhookEndpointDelivery(
            WebhookEndpoint.From(new WebhookEndpointOptions { Id = "crm", Url = "https://hooks.example.com/in", Secret = WebhookOptionsTests.Secret, Concurrency = concurrency }),
            _backlog, counting, "instance-a", _time, NullLogger.Instance);

        await delivery.DeliverDueAsync(CancellationToken.None);

        Assert.Equal(40, _backlog.Delivered.Count);
        Assert.Equal(concurrency, counting.MostInFlight);
    }

    private sealed class CountingSender : IWebhookSender
    {
        private int _inFlight;
        private int _most;

        public int MostInFlight => _most;

        public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, QueuedWebhook webhook, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            await Task.Delay(5, CancellationToken.None);
            Interlocked.Decrement(ref _inFlight);
            return WebhookAttempt.Delivered;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(60)]
    public async Task DeliverDue_failure_of_the_last_attempt_goes_to_the_dead_letter_list(int? retryAfterSeconds)
    {
        Queue(1, WebhookRetrySchedule.Attempts - 1);
        _sender.Answer = _ => new WebhookAttempt(
            WebhookAttemptResult.Failed, retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, "HTTP 503");

        await Delivery().DeliverDueAsync(CancellationToken.None);

        Assert.Equal(("evt_000", "HTTP 503"), Assert.Single(_backlog.DeadLetters));
        Assert.Empty(_backlog.Retries);
    }

    [Fact]
    public async Task DeliverDue_retry_after_moves_the_next_attempt()
    {
        Queue(1);
        _sender.Answer = _ => new WebhookAttempt(WebhookAttemptResult.Failed, TimeSpan.FromSeconds(120), "HTTP 429");

        await Delivery().DeliverDueAsync(CancellationToken.None);

        Assert.Equal(Start.AddSeconds(120), Assert.Single(_backlog.Retries).Due);
    }

    [Fact]
    public async Task DeliverDue_gone_disables_the_endpoint_and_sends_nothing_more()
    {
        Queue(WebhookEndpointDelivery.BatchSize);
        _sender.Answer = _ => new WebhookAttempt(WebhookAttemptResult.Gone, Failure: "410 Gone");
        var delivery = Delivery();

        await delivery.DeliverDueAsync(CancellationToken.None);
        var sentBeforeDisable = _sender.Sent.Count;
        await delivery.DeliverDueAsync(CancellationToken.None);

        Assert.True(_backlog.Disabled);
        Assert.True(sentBeforeDisable is >= 1 and <= WebhookEndpointDelivery.Parallelism, $"{sentBeforeDisable} sent after a 410");
        Assert.Equal(sentBeforeDisable, _sender.Sent.Count);
        Assert.Empty(_backlog.Delivered);
    }

    [Fact]
    public async Task DeliverDue_event_not_yet_due_waits_for_its_time()
    {
        _backlog.Add(new QueuedWebhook("evt_later", Start, "suppression.created", "{}", 1), Start.AddSeconds(5));
        var delivery = Delivery();

        Assert.Equal(0, await delivery.DeliverDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await delivery.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(["evt_later"], _backlog.Delivered);
    }

    [Fact]
    public async Task Run_delivers_an_event_queued_while_idle_within_one_poll()
    {
        var service = new WebhookDeliveryService(
            new ServiceCollection().BuildServiceProvider(), [], _time, NullLogger<WebhookDeliveryService>.Instance);
        using var stop = new CancellationTokenSource();
        var running = service.RunAsync(Delivery(), _backlog, stop.Token);
        Queue(1);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_backlog.Delivered.Count == 0 && !limit.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
            _time.Advance(WebhookDeliveryService.PollInterval);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(["evt_000"], _backlog.Delivered);
        // Polls of 250 ms: an idle endpoint sees a new event within a second of the clock.
        Assert.InRange(_time.GetUtcNow() - Start, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
