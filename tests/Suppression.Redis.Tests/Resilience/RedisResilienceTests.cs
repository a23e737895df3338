using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;
using Suppression.Redis.Resilience;
using Suppression.Suppressions;
using Suppression.Telemetry;

namespace Suppression.Redis.Tests.Resilience;

/// <summary>
/// The pipelines' rules, with calls that fail the way StackExchange.Redis fails. What a Redis
/// outage looks like through the whole gateway is RedisOutageTests and RedisCircuitTests.
/// Retries wait out the pipelines' real backoff, tens of milliseconds; the circuit's break is
/// passed by moving a FakeTimeProvider.
/// </summary>
public sealed class RedisResilienceTests
{
    private static readonly RedisResilienceOptions Fast = new()
    {
        LookupTimeout = TimeSpan.FromSeconds(2),
        AttemptTimeout = TimeSpan.FromMilliseconds(200),
        LookupRetries = 2,
        WriteTimeout = TimeSpan.FromSeconds(2),
        BreakDuration = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task A_lookup_that_fails_to_connect_is_asked_again_and_its_answer_used()
    {
        using var resilience = new RedisResilience(Fast, TimeProvider.System);
        var calls = 0;

        var answer = await resilience.LookupAsync(
            (_, _) => ++calls < 3 ? throw NoConnection() : ValueTask.FromResult("entry"), 0, CancellationToken.None);

        Assert.Equal("entry", answer);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_lookup_that_hangs_is_cut_per_attempt_retried_and_the_caller_gets_a_redis_timeout()
    {
        // 200 ms attempts, 2 retries with ~50-100 ms backoff: ~0.8 s of the 3 s budget, so every
        // attempt is made and each one is cut by its own timeout, not by the budget.
        using var resilience = new RedisResilience(Fast with { LookupTimeout = TimeSpan.FromSeconds(3), LookupRetries = 2 }, TimeProvider.System);
        var calls = 0;

        var error = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.LookupAsync(
            async (_, token) =>
            {
                Interlocked.Increment(ref calls);
                await Task.Delay(Timeout.Infinite, token);
                return 0;
            },
            0,
            CancellationToken.None));

        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task An_error_about_the_data_is_not_retried_and_leaves_as_it_came()
    {
        using var resilience = new RedisResilience(Fast, TimeProvider.System);
        var calls = 0;

        var unavailable = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.LookupAsync<int, int>(
            (_, _) => { calls++; throw new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value"); }, 0, CancellationToken.None));

        var error = Assert.IsType<RedisServerException>(unavailable.InnerException);
        Assert.StartsWith("WRONGTYPE", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_cluster_in_failover_is_asked_again()
    {
        using var resilience = new RedisResilience(Fast, TimeProvider.System);
        var calls = 0;

        var answer = await resilience.LookupAsync(
            (_, _) => ++calls == 1 ? throw new RedisServerException("CLUSTERDOWN The cluster is down") : ValueTask.FromResult(1), 0, CancellationToken.None);

        Assert.Equal(1, answer);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_answers_at_once_without_asking_and_closes_when_redis_answers_again()
    {
        var time = new FakeTimeProvider();
        using var resilience = new RedisResilience(Fast with { LookupRetries = 0 }, time);
        using var gauge = new CircuitGauge();
        var redisUp = false;
        var calls = 0;
        ValueTask<int> Call(int state, CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            return redisUp ? ValueTask.FromResult(1) : throw NoConnection();
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.IsType<RedisConnectionException>((await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.LookupAsync(Call, 0, CancellationToken.None))).InnerException);
        }

        Assert.Equal(BreakerState.Open, gauge.Read(RedisResilience.LookupPipeline));
        Assert.Equal(BreakerState.Closed, gauge.Read(RedisResilience.WritePipeline));

        // Open: the caller gets the same kind of error (so it answers 451 / 503 as for any outage), Redis is not asked.
        var callsBefore = calls;
        var open = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.LookupAsync(Call, 0, CancellationToken.None));
        Assert.IsType<BrokenCircuitException>(open.InnerException);
        Assert.Contains("circuit redis-lookup is open", open.Message, StringComparison.Ordinal);
        Assert.Equal(callsBefore, calls);

        redisUp = true;
        time.Advance(Fast.BreakDuration);
        Assert.Equal(1, await resilience.LookupAsync(Call, 0, CancellationToken.None));
        Assert.Equal(BreakerState.Closed, gauge.Read(RedisResilience.LookupPipeline));
    }

    [Fact]
    public async Task A_write_is_retried_only_when_it_was_never_sent()
    {
        using var resilience = new RedisResilience(Fast, TimeProvider.System);
        var neverSent = 0;
        Assert.True(await resilience.WriteAsync((_, _) => ++neverSent < 2 ? throw NoConnection() : ValueTask.FromResult(true), 0, CancellationToken.None));
        Assert.Equal(2, neverSent);

        // Sent, then the connection dropped: it may have landed, so the caller decides (and reports 451 / 503).
        var maybeLanded = 0;
        var unavailable = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.WriteAsync<int, bool>(
            (_, _) => { maybeLanded++; throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "closed"); }, 0, CancellationToken.None));
        Assert.IsType<RedisConnectionException>(unavailable.InnerException);
        Assert.Equal(1, maybeLanded);
    }

    [Fact]
    public async Task The_caller_leaving_is_not_a_redis_failure()
    {
        // Attempts that only the caller can end: the attempt timeout is far away, and each call is
        // cancelled once it is known to be waiting on "Redis".
        using var resilience = new RedisResilience(Fast with { LookupRetries = 0, AttemptTimeout = TimeSpan.FromSeconds(30), LookupTimeout = TimeSpan.FromSeconds(30) }, TimeProvider.System);
        using var gauge = new CircuitGauge();
        for (var i = 0; i < 30; i++)
        {
            using var left = new CancellationTokenSource();
            var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var call = resilience.LookupAsync(
                async (_, token) =>
                {
                    waiting.SetResult();
                    await Task.Delay(Timeout.Infinite, token);
                    return 0;
                },
                0,
                left.Token);
            await waiting.Task;
            await left.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        Assert.Equal(BreakerState.Closed, gauge.Read(RedisResilience.LookupPipeline));
    }

    private static RedisConnectionException NoConnection() =>
        new(ConnectionFailureType.UnableToResolvePhysicalConnection, "No connection is active/available to service this operation");

    /// <summary>Reads suppression.circuit.state as an exporter would.</summary>
    private sealed class CircuitGauge : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, int> _states = new(StringComparer.Ordinal);

        public CircuitGauge()
        {
            _listener.InstrumentPublished = (instrument, meters) =>
            {
                if (instrument.Meter.Name == Instrumentation.Name && instrument.Name == "suppression.circuit.state")
                {
                    meters.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == CircuitTelemetry.Pipeline)
                    {
                        _states[(string)tag.Value!] = value;
                    }
                }
            });
            _listener.Start();
        }

        public BreakerState Read(string pipeline)
        {
            lock (_states)
            {
                _states.Clear();
                _listener.RecordObservableInstruments();
                return (BreakerState)_states[pipeline];
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
