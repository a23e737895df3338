using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using StackExchange.Redis;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Telemetry;
using Suppression.Suppressions;
using Suppression.Telemetry;


namespace Suppression.Redis.Resilience;

/// <summary>
/// The Polly pipelines every recipient lookup and every audited write go through. A lookup gets a
/// total time budget, a timeout per attempt, retries (a read is idempotent) and a circuit breaker;
/// a write gets a budget, a retry only when the command was never sent, and its own breaker. While
/// a circuit is open, calls fail at once instead of holding SMTP sessions for a timeout each; the
/// recipient is deferred (451) either way, which is the fail-closed rule.
/// <para>
/// Every failure to get an answer from Redis leaves as one
/// <see cref="SuppressionStoreUnavailableException"/> with its cause inside
/// (<see cref="Translate(Exception)"/>), through these pipelines and through
/// <see cref="TranslateFailuresAsync{T}(Task{T})"/> for the calls that take no pipeline, so no
/// caller outside this project needs to know StackExchange.Redis or Polly.
/// Polly's meter ("Polly") names the pipelines <c>redis-lookup</c> and <c>redis-write</c>;
/// <see cref="CircuitTelemetry"/> reports their circuits' state.
/// </para>
/// </summary>
public sealed class RedisResilience : IDisposable
{
    public const string LookupPipeline = "redis-lookup";
    public const string WritePipeline = "redis-write";

    // At least half of 20 or more calls within 10 s: a dead server, not a slow key. One primary of
    // three lost in a cluster fails a third of the lookups, which stays below the ratio: the other
    // two thirds keep flowing while the cluster fails over.
    private const double FailureRatio = 0.5;
    private const int MinimumThroughput = 20;
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);

    private readonly ResiliencePipeline _lookups;
    private readonly ResiliencePipeline _writes;
    private readonly IDisposable[] _circuitGauges;

    /// <param name="time">The clock the timeouts, backoff and circuit breakers run on.</param>
    public RedisResilience(RedisResilienceOptions options, TimeProvider time, ILoggerFactory? loggerFactory = null)
        : this(options, time, loggerFactory, reportCircuits: true)
    {
    }

    private RedisResilience(RedisResilienceOptions options, TimeProvider time, ILoggerFactory? loggerFactory, bool reportCircuits)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisResilience>();
        var lookupCircuit = new CircuitBreakerStateProvider();
        var writeCircuit = new CircuitBreakerStateProvider();

        var lookupBuilder = new ResiliencePipelineBuilder { Name = LookupPipeline, TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Name = "budget", Timeout = options.LookupTimeout });
        if (options.LookupRetries > 0)
        {
            lookupBuilder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsUnavailable),
                MaxRetryAttempts = options.LookupRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            });
        }

        _lookups = lookupBuilder
            .AddCircuitBreaker(Breaker(options, lookupCircuit, LookupPipeline, logger))
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout })
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance })
            .Build();

        _writes = new ResiliencePipelineBuilder { Name = WritePipeline, TimeProvider = time }
            .AddTimeout(new TimeoutStrategyOptions { Name = "budget", Timeout = options.WriteTimeout })
            .AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                ShouldHandle = new PredicateBuilder().Handle<Exception>(NeverSent),
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .AddCircuitBreaker(Breaker(options, writeCircuit, WritePipeline, logger))
            .ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance })
            .Build();

        _circuitGauges = reportCircuits
            ?
            [
                CircuitTelemetry.Register(LookupPipeline, () => StateOf(lookupCircuit)),
                CircuitTelemetry.Register(WritePipeline, () => StateOf(writeCircuit)),
            ]
            : [];
    }

    /// <summary>The defaults, for a store or writer built outside a gateway host: nothing reports its circuits.</summary>
    internal static RedisResilience Unreported() => new(new RedisResilienceOptions(), TimeProvider.System, loggerFactory: null, reportCircuits: false);

    public void Dispose()
    {
        foreach (var gauge in _circuitGauges)
        {
            gauge.Dispose();
        }
    }

    /// <summary>A read: retried, since asking again changes nothing.</summary>
    public async Task<T> LookupAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> read, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return await _lookups.ExecuteAsync(read, state, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception, LookupPipeline) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// A write: retried only when the client never sent it, because a write whose reply was lost
    /// may have landed (the audited writers re-read before they write, so even that would not
    /// double a change, but it would add a "nothing changed" record).
    /// </summary>
    public async Task<T> WriteAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> write, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return await _writes.ExecuteAsync(write, state, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception, WritePipeline) is { } translated)
        {
            throw translated;
        }
    }

    private static CircuitBreakerStrategyOptions Breaker(RedisResilienceOptions options, CircuitBreakerStateProvider state, string pipeline, ILogger logger) => new()
    {
        Name = "circuit-breaker",
        ShouldHandle = new PredicateBuilder().Handle<Exception>(IsUnavailable),
        FailureRatio = FailureRatio,
        MinimumThroughput = MinimumThroughput,
        SamplingDuration = SamplingDuration,
        BreakDuration = options.BreakDuration,
        StateProvider = state,
        OnOpened = args =>
        {
            logger.RedisCircuitOpened(pipeline, args.BreakDuration, args.Outcome.Exception);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            logger.RedisCircuitClosed(pipeline);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>
    /// Redis is not answering, or a cluster is in the middle of a failover: worth asking again in a
    /// moment, and counted by the breaker. An error about one key or script is an answer, not this.
    /// </summary>
    internal static bool IsUnavailable(Exception exception) =>
        exception is RedisConnectionException or TimeoutException or TimeoutRejectedException || IsTransientServerError(exception);

    // "No connection is active/available": StackExchange.Redis had nowhere to send the command.
    internal static bool NeverSent(Exception exception) =>
        exception is RedisConnectionException { FailureType: ConnectionFailureType.UnableToResolvePhysicalConnection };

    // Replies a cluster or a replica gives while it changes roles or loads its data.
    private static bool IsTransientServerError(Exception exception) =>
        exception is RedisServerException server
        && (server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal));

    private static SuppressionStoreUnavailableException? Translate(Exception exception, string pipeline) => exception switch
    {
        BrokenCircuitException => new($"The suppression list is unavailable: Redis circuit {pipeline} is open after repeated failures; not asking Redis for now", exception),
        TimeoutRejectedException timeout => new($"The suppression list is unavailable: Redis did not answer in time ({pipeline}: {timeout.Timeout.TotalMilliseconds:0} ms)", exception),
        _ => Translate(exception),
    };

    /// <summary>
    /// The one storage failure for an exception from StackExchange.Redis or Polly; null for anything
    /// else (a cancellation, an argument, a bug), which callers must not mistake for an outage.
    /// Every Redis error counts, not only those worth retrying: a server's error reply (WRONGTYPE,
    /// OOM, NOAUTH), an entry or format marker this version cannot read, all mean no decision can be
    /// made from the list, so the recipient is deferred and the request answered 503.
    /// </summary>
    internal static SuppressionStoreUnavailableException? Translate(Exception exception) => exception switch
    {
        SuppressionStoreUnavailableException => null,
        BrokenCircuitException => new("The suppression list is unavailable: a Redis circuit is open after repeated failures", exception),
        TimeoutRejectedException or TimeoutException => new("The suppression list is unavailable: Redis did not answer in time", exception),
        RedisConnectionException connection => new($"The suppression list is unavailable: Redis cannot be reached ({connection.FailureType})", exception),
        RedisServerException server => new($"The suppression list is unavailable: Redis refused the command{ErrorCode(server)}", exception),
        UnreadableEntryException or UnknownStorageFormatException => new(exception.Message, exception),
        RedisException => new("The suppression list is unavailable: Redis failed the command", exception),
        _ => null,
    };

    /// <summary>
    /// A call that takes no pipeline (the console's and the API's reads, feedback, upgrades), with
    /// its failures translated. <paramref name="call"/> is an async method's task, so even its
    /// argument checks fail inside it.
    /// </summary>
    internal static async Task<T> TranslateFailuresAsync<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (Exception exception) when (Translate(exception) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>A stream read from Redis (an export, the audit trail), with its failures translated.</summary>
    internal static async IAsyncEnumerable<T> TranslateFailures<T>(IAsyncEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync();
            }
            catch (Exception exception) when (Translate(exception) is { } unavailable)
            {
                throw unavailable;
            }

            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    // The reply's error code ("WRONGTYPE", "OOM", "CLUSTERDOWN"), never the rest, which may quote a key.
    private static string ErrorCode(RedisServerException server)
    {
        var end = server.Message.IndexOf(' ', StringComparison.Ordinal);
        var code = end < 0 ? server.Message : server.Message[..end];
        return code.Length is > 0 and <= 20 && code.All(char.IsAsciiLetterUpper) ? $" ({code})" : string.Empty;
    }

    private static BreakerState StateOf(CircuitBreakerStateProvider provider) => provider.CircuitState switch
    {
        CircuitState.Open or CircuitState.Isolated => BreakerState.Open,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        _ => BreakerState.Closed,
    };
}
