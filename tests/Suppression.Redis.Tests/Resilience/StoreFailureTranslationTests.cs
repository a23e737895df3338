using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;
using Suppression.Redis.Resilience;
using Suppression.Redis.Suppressions;
using Suppression.Suppressions;

namespace Suppression.Redis.Tests.Resilience;

/// <summary>
/// Every way StackExchange.Redis or Polly says "no answer from the store" leaves Suppression.Redis
/// as the one SuppressionStoreUnavailableException, its cause inside and no address in its message;
/// anything else (a cancellation, a bug) passes through untouched.
/// </summary>
public sealed class StoreFailureTranslationTests
{
    private const string Address = "subscriber@example.com";

    public static TheoryData<string> StoreFailures => [.. Causes.Keys];

    private static readonly Dictionary<string, Func<Exception>> Causes = new(StringComparer.Ordinal)
    {
        ["connection"] = () => new RedisConnectionException(ConnectionFailureType.SocketClosed, $"closed while reading {Address}"),
        ["no connection"] = () => new RedisConnectionException(ConnectionFailureType.UnableToResolvePhysicalConnection, "No connection is active/available to service this operation: HGET " + Address),
        ["redis timeout"] = () => new RedisTimeoutException($"Timeout performing HGET (5000ms), next: HGET {Address}", CommandStatus.Sent),
        ["timeout"] = () => new TimeoutException("The operation has timed out."),
        ["cluster down"] = () => new RedisServerException("CLUSTERDOWN The cluster is down"),
        ["loading"] = () => new RedisServerException("LOADING Redis is loading the dataset in memory"),
        ["wrong type"] = () => new RedisServerException($"WRONGTYPE Operation against a key holding the wrong kind of value {Address}"),
        ["out of memory"] = () => new RedisServerException("OOM command not allowed when used memory > 'maxmemory'."),
        ["script error"] = () => new RedisServerException($"ERR user_script:1: {Address}"),
        ["open circuit"] = () => new BrokenCircuitException("The circuit is now open and is not allowing calls."),
        ["pipeline timeout"] = () => new TimeoutRejectedException("The operation didn't complete within the allowed timeout of '00:00:00.7500000'.", TimeSpan.FromMilliseconds(750)),
        ["unreadable entry"] = () => new UnreadableEntryException(),
        ["unknown format"] = () => new UnknownStorageFormatException("9"),
    };

    [Theory]
    [MemberData(nameof(StoreFailures))]
    public void Translate_StoreFailure_IsTheOneExceptionWithItsCauseInside(string failure)
    {
        var cause = Causes[failure]();

        var translated = RedisResilience.Translate(cause);

        Assert.NotNull(translated);
        Assert.Same(cause, translated.InnerException);
        Assert.DoesNotContain(Address, translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ServerError_KeepsOnlyTheErrorCode()
    {
        var translated = RedisResilience.Translate(new RedisServerException($"WRONGTYPE Operation against a key holding the wrong kind of value {Address}"));

        Assert.Equal("The suppression list is unavailable: Redis refused the command (WRONGTYPE)", translated?.Message);
    }

    [Fact]
    public void Translate_NotAStoreFailure_IsLeftAlone()
    {
        Assert.Null(RedisResilience.Translate(new OperationCanceledException()));
        Assert.Null(RedisResilience.Translate(new ArgumentException("bad")));
        Assert.Null(RedisResilience.Translate(new InvalidOperationException("bug")));
        Assert.Null(RedisResilience.Translate(new StorageDowngradeException(StorageFormat.Compact, StorageFormat.Text)));
        Assert.Null(RedisResilience.Translate(new SuppressionStoreUnavailableException()));
    }

    [Theory]
    [MemberData(nameof(StoreFailures))]
    public async Task LookupAsync_StoreFailure_LeavesAsTheOneExceptionWithItsCauseInside(string failure)
    {
        using var resilience = Resilience();
        var cause = Causes[failure]();

        var translated = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.LookupAsync<int, int>((_, _) => throw cause, 0, CancellationToken.None));

        Assert.Same(cause, translated.InnerException);
    }

    [Theory]
    [MemberData(nameof(StoreFailures))]
    public async Task WriteAsync_StoreFailure_LeavesAsTheOneExceptionWithItsCauseInside(string failure)
    {
        using var resilience = Resilience();
        var cause = Causes[failure]();

        var translated = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => resilience.WriteAsync<int, int>((_, _) => throw cause, 0, CancellationToken.None));

        Assert.Same(cause, translated.InnerException);
    }

    [Fact]
    public async Task LookupAsync_SpentBudget_LeavesAsTheOneExceptionWithPollysTimeoutInside()
    {
        var time = new FakeTimeProvider();
        using var resilience = new RedisResilience(new RedisResilienceOptions { LookupTimeout = TimeSpan.FromMilliseconds(100), AttemptTimeout = TimeSpan.FromSeconds(5), LookupRetries = 0 }, time);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var lookup = resilience.LookupAsync(
            async (_, token) =>
            {
                waiting.SetResult();
                await Task.Delay(Timeout.Infinite, token);
                return 0;
            },
            0,
            CancellationToken.None);
        await waiting.Task;
        time.Advance(TimeSpan.FromMilliseconds(100));

        var translated = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => lookup);

        Assert.IsType<TimeoutRejectedException>(translated.InnerException);
        Assert.Contains("redis-lookup", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TranslateFailuresAsync_StoreFailure_LeavesAsTheOneException()
    {
        var cause = Causes["redis timeout"]();

        var translated = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(() => RedisResilience.TranslateFailuresAsync(FailingAsync(cause)));

        Assert.Same(cause, translated.InnerException);
    }

    [Fact]
    public async Task TranslateFailuresAsync_OtherFailure_PassesThrough()
    {
        var cause = new InvalidOperationException("bug");

        Assert.Same(cause, await Assert.ThrowsAsync<InvalidOperationException>(() => RedisResilience.TranslateFailuresAsync(FailingAsync(cause))));
    }

    [Fact]
    public async Task TranslateFailures_StreamFailingMidway_YieldsWhatItReadThenTheOneException()
    {
        var cause = Causes["connection"]();
        var read = new List<int>();

        var translated = await Assert.ThrowsAsync<SuppressionStoreUnavailableException>(async () =>
        {
            await foreach (var item in RedisResilience.TranslateFailures(TwoThenFailAsync(cause)))
            {
                read.Add(item);
            }
        });

        Assert.Equal([1, 2], read);
        Assert.Same(cause, translated.InnerException);
    }

    private static RedisResilience Resilience(RedisResilienceOptions? options = null) =>
        new(options ?? new RedisResilienceOptions { LookupRetries = 0 }, TimeProvider.System);

    private static async Task<int> FailingAsync(Exception exception)
    {
        await Task.Yield();
        throw exception;
    }

    private static async IAsyncEnumerable<int> TwoThenFailAsync(Exception exception)
    {
        yield return 1;
        await Task.Yield();
        yield return 2;
        throw exception;
    }
}
