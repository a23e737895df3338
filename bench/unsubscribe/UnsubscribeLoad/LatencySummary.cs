using System.Diagnostics;

namespace Suppression.Bench.Unsubscribe;

/// <summary>Percentiles of request latencies in milliseconds, nearest-rank (no interpolation).</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double Max)
{
    public static LatencySummary FromTicks(long[] stopwatchTicks)
    {
        ArgumentNullException.ThrowIfNull(stopwatchTicks);
        var sorted = stopwatchTicks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), Milliseconds(sorted[^1]));
    }

    private static double Percentile(long[] sorted, double fraction) =>
        Milliseconds(sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
