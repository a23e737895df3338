using System.Globalization;
using System.Text;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>What an import did, as the counts and then each rejected line with the gateway's reason.</summary>
internal static class ImportSummary
{
    public static string Render(ImportResponse result)
    {
        var summary = new StringBuilder();
        Line(summary, "format", result.Format);
        Line(summary, "rows", result.Rows);
        Line(summary, "imported", result.Imported);
        Line(summary, "unchanged", result.Unchanged);
        Line(summary, "rejected", result.Rejected);
        Line(summary, "batch", result.Batch);
        Line(summary, "sha256", result.FileSha256);

        var errors = result.Errors ?? [];
        foreach (var error in errors)
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"line {error.Line}: {error.Reason}");
        }

        if (result.ErrorsTruncated)
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"(the gateway lists only the first {errors.Count} of {result.Rejected} rejected lines)");
        }

        return summary.ToString();
    }

    private static void Line(StringBuilder summary, string label, object value) =>
        summary.AppendLine(CultureInfo.InvariantCulture, $"{label + ":",-11}{value}");
}
