using System.Globalization;

namespace Suppression.Bench.Unsubscribe;

internal sealed record LoadResult(int Requests, TimeSpan Elapsed, LatencySummary Latency, IReadOnlyDictionary<string, int> Failures)
{
    public int Failed => Failures.Values.Sum();

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    // One line of key=value pairs, so run.sh can pick fields out with sed.
    public string ToFigures(int concurrency) => string.Create(CultureInfo.InvariantCulture,
        $"requests={Requests} concurrency={concurrency} seconds={Elapsed.TotalSeconds:F3} rps={RequestsPerSecond:F0} "
        + $"p50_ms={Latency.P50:F3} p90_ms={Latency.P90:F3} p99_ms={Latency.P99:F3} max_ms={Latency.Max:F3} failed={Failed}");
}
