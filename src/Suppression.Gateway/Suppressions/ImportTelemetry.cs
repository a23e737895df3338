using System.Diagnostics.Metrics;
using Suppression.Audit;
using Suppression.Telemetry;

namespace Suppression.Gateway.Suppressions;

/// <summary>Rows of uploaded suppression files, by format and outcome, counted once an import ends.</summary>
internal static class ImportTelemetry
{
    private static readonly Counter<long> Rows = Instrumentation.Meter.CreateCounter<long>(
        "suppression.import.rows", "{row}", "Rows of imported suppression files by format and outcome (imported, unchanged, rejected)");

    public static void Imported(ImportSummary summary)
    {
        Add(summary.Format, "imported", summary.Imported);
        Add(summary.Format, "unchanged", summary.Unchanged);
        Add(summary.Format, "rejected", summary.Rejected);
    }

    private static void Add(string format, string outcome, long rows)
    {
        if (rows > 0)
        {
            Rows.Add(
                rows,
                new KeyValuePair<string, object?>("suppression.import.format", format),
                new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        }
    }
}
