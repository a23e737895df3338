using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Suppression.Telemetry;

/// <summary>
/// The state of every circuit breaker as a gauge (<c>suppression.circuit.state</c>, tagged with the
/// pipeline: 0 closed, 1 open, 2 half-open), so "the gateway has stopped asking Redis" or "...the
/// upstream" is one alert rule. Polly's own metrics count the transitions; they cannot say which
/// state a circuit is in now, which is what an operator asks first.
/// </summary>
public static class CircuitTelemetry
{
    public const string Pipeline = "suppression.pipeline";

    // Every live breaker, by registration. A process normally hosts one gateway; when it hosts
    // several (tests), a pipeline's gauge reads the worst state among them.
    private static readonly ConcurrentDictionary<Registration, byte> Circuits = new();

    private static readonly ObservableGauge<int> State = Instrumentation.Meter.CreateObservableGauge(
        "suppression.circuit.state",
        Observe,
        "{state}",
        "Circuit breaker state by pipeline: 0 closed (calls flow), 1 open (calls answered at once with a temporary failure), 2 half-open (one trial call)");

    /// <summary>Reports <paramref name="state"/> until the returned registration is disposed.</summary>
    public static IDisposable Register(string pipeline, Func<BreakerState> state)
    {
        ArgumentException.ThrowIfNullOrEmpty(pipeline);
        ArgumentNullException.ThrowIfNull(state);
        _ = State;
        var registration = new Registration(pipeline, state);
        Circuits[registration] = 0;
        return registration;
    }

    private static IEnumerable<Measurement<int>> Observe()
    {
        var worst = new Dictionary<string, BreakerState>(StringComparer.Ordinal);
        foreach (var circuit in Circuits.Keys)
        {
            var state = circuit.State();
            if (!worst.TryGetValue(circuit.Pipeline, out var known) || Severity(state) > Severity(known))
            {
                worst[circuit.Pipeline] = state;
            }
        }

        foreach (var (pipeline, state) in worst)
        {
            yield return new Measurement<int>((int)state, new KeyValuePair<string, object?>(Pipeline, pipeline));
        }
    }

    // Open is worse than half-open (which is already trying again), which is worse than closed.
    private static int Severity(BreakerState state) => state switch
    {
        BreakerState.Open => 2,
        BreakerState.HalfOpen => 1,
        _ => 0,
    };

    private sealed class Registration(string pipeline, Func<BreakerState> state) : IDisposable
    {
        public string Pipeline { get; } = pipeline;

        public Func<BreakerState> State { get; } = state;

        public void Dispose() => Circuits.TryRemove(this, out _);
    }
}

/// <summary>A circuit breaker's state as the gauge reports it.</summary>
public enum BreakerState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}
