using System.Net;
using System.Text.RegularExpressions;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// Reads a console table back into rows keyed by column: every cell names its column in
/// <c>data-label</c>, which is also what a phone shows beside the value.
/// </summary>
public static partial class RecordRows
{
    /// <summary>The rows of the table in the section labelled by <paramref name="headingId"/>.</summary>
    public static List<Dictionary<string, string>> In(string html, string headingId)
    {
        var start = html.IndexOf($"aria-labelledby=\"{headingId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the page has no section '{headingId}'");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        var section = html[start..end];
        return RowPattern().Matches(section)
            .Select(row => CellPattern().Matches(row.Value).ToDictionary(
                cell => cell.Groups["label"].Value,
                cell => WebUtility.HtmlDecode(TagPattern().Replace(cell.Groups["content"].Value, string.Empty)).Trim()))
            .Where(row => row.Count > 0)
            .ToList();
    }

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td(?: class=\"[^\"]*\")? data-label=\"(?<label>[^\"]+)\">(?<content>.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
