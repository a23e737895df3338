using System.Text;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>A lookup as the address followed by one aligned row per entry.</summary>
internal static class SuppressionTable
{
    private const string ColumnGap = "  ";

    public static string Render(LookupResponse lookup)
    {
        string[] header = ["SCOPE", "REASON", "SOURCE", "CREATED"];
        var rows = lookup.Entries.Select(entry => new[] { entry.Scope, entry.Reason, entry.Source, entry.CreatedAt }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();

        var table = new StringBuilder().AppendLine(lookup.Address);
        foreach (var row in rows)
        {
            var cells = row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]));
            table.AppendLine(string.Join(ColumnGap, cells));
        }

        return table.ToString();
    }
}
