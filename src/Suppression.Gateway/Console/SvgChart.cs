using System.Globalization;
using System.Text;
using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// The dashboard's chart, drawn here as inline SVG: per day, grouped bars of unsubscribes,
/// complaints, bounces, blocked deliveries and overridden opt-outs (transactional copies sent past
/// one), with a legend, day labels and a scale. Colours are presentation attributes (no style
/// attributes, which the console's CSP forbids), from the Okabe-Ito palette that stays distinct for
/// colour-blind readers. A screen reader gets the title
/// and a summary; everyone can open the numbers as a table.
/// </summary>
public static class SvgChart
{
    private const int Width = 760;
    private const int Height = 300;
    private const int Left = 48;
    private const int Right = 8;
    private const int Top = 44;
    private const int Bottom = 40;
    private const int Ticks = 4;

    private static readonly Series[] AllSeries =
    [
        new("Unsubscribes", "#0072B2", count => count.Unsubscribes),
        new("Complaints", "#E69F00", count => count.Complaints),
        new("Bounces", "#CC79A7", count => count.Bounces),
        new("Blocked deliveries", "#D55E00", count => count.Blocked),
        new("Overridden opt-outs", "#009E73", count => count.Overridden),
    ];

    public static string Render(IReadOnlyList<AuditDailyCount> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (days.Count == 0)
        {
            return "<p class=\"note\">No days to show.</p>";
        }

        var first = Day(days[0].Day);
        var last = Day(days[^1].Day);
        var totals = AllSeries.Select(series => (series.Label, Total: days.Sum(series.Value))).ToList();
        var step = NiceStep(days.Max(day => AllSeries.Max(series => series.Value(day))));
        var top = step * Ticks;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var groupWidth = (double)plotWidth / days.Count;
        var barWidth = groupWidth * 0.8 / AllSeries.Length;

        var svg = new StringBuilder(16_384);
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" ")
            .Append("role=\"img\" aria-labelledby=\"chart-title chart-summary\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">Unsubscribes, complaints, bounces, blocked deliveries and overridden opt-outs per day, {first} to {last} (UTC)</title>\n")
            .Append("<desc id=\"chart-summary\">Totals: ")
            .Append(Html.Encode(string.Join(", ", totals.Select(total => $"{total.Label.ToLowerInvariant()} {Html.Number(total.Total)}"))))
            .Append(".</desc>\n");

        // Legend across the top.
        for (var i = 0; i < AllSeries.Length; i++)
        {
            var x = Left + (i * 140);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"10\" width=\"12\" height=\"12\" fill=\"{AllSeries[i].Colour}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 17}\" y=\"20\" fill=\"currentColor\">{Html.Encode(AllSeries[i].Label)}</text>\n");
        }

        // Scale: horizontal grid lines with their values.
        for (var tick = 0; tick <= Ticks; tick++)
        {
            var y = Top + plotHeight - ((double)plotHeight * tick / Ticks);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#a1a1aa\" stroke-width=\"{(tick == 0 ? 1 : 0.5)}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"currentColor\">{Html.Number(step * tick)}</text>\n");
        }

        for (var d = 0; d < days.Count; d++)
        {
            var day = days[d];
            var groupX = Left + (d * groupWidth) + (groupWidth * 0.1);
            // The transparent rectangle spans the whole day, so its tooltip shows on empty days too.
            svg.Append("<g><title>")
                .Append(Html.Encode($"{Day(day.Day)}: " + string.Join(", ", AllSeries.Select(series => $"{Html.Number(series.Value(day))} {series.Label.ToLowerInvariant()}"))))
                .Append("</title>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left + (d * groupWidth))}\" y=\"{Top}\" width=\"{F(groupWidth)}\" height=\"{plotHeight}\" fill=\"#000\" fill-opacity=\"0\"/>");
            for (var s = 0; s < AllSeries.Length; s++)
            {
                var value = AllSeries[s].Value(day);
                if (value == 0)
                {
                    continue;
                }

                var height = Math.Max(1, plotHeight * (double)value / top);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(groupX + (s * barWidth))}\" y=\"{F(Top + plotHeight - height)}\" width=\"{F(barWidth)}\" height=\"{F(height)}\" fill=\"{AllSeries[s].Colour}\"/>");
            }

            svg.Append("</g>\n");

            // A label every fifth day, counted back from today so the newest day is always labelled.
            if ((days.Count - 1 - d) % 5 == 0)
            {
                var centre = Left + (d * groupWidth) + (groupWidth / 2);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(centre)}\" x2=\"{F(centre)}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight + 4}\" stroke=\"#a1a1aa\"/>")
                    .Append(CultureInfo.InvariantCulture, $"<text x=\"{F(centre)}\" y=\"{Top + plotHeight + 18}\" text-anchor=\"middle\" fill=\"currentColor\">")
                    .Append(day.Day.ToString("MMM d", CultureInfo.InvariantCulture)).Append("</text>\n");
            }
        }

        svg.Append("</svg>\n");
        return svg.Append(Table(days)).ToString();
    }

    private static string Table(IReadOnlyList<AuditDailyCount> days)
    {
        var table = new StringBuilder(4096);
        table.Append("<details>\n<summary>The numbers as a table</summary>\n<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Day (UTC)</th>");
        foreach (var series in AllSeries)
        {
            table.Append("<th scope=\"col\" class=\"num\">").Append(Html.Encode(series.Label)).Append("</th>");
        }

        table.Append("</tr></thead>\n<tbody>\n");
        foreach (var day in days.Reverse())
        {
            table.Append("<tr><th scope=\"row\">").Append(Day(day.Day)).Append("</th>");
            foreach (var series in AllSeries)
            {
                table.Append("<td class=\"num\">").Append(Html.Number(series.Value(day))).Append("</td>");
            }

            table.Append("</tr>\n");
        }

        return table.Append("</tbody>\n</table></div>\n</details>\n").ToString();
    }

    // The grid step: 1, 2 or 5 times a power of ten, so that Ticks steps cover the largest value.
    private static long NiceStep(long max)
    {
        var raw = Math.Max(1, (max + Ticks - 1) / Ticks);
        for (long power = 1; ; power *= 10)
        {
            foreach (var multiple in new long[] { 1, 2, 5 })
            {
                if (multiple * power >= raw)
                {
                    return multiple * power;
                }
            }
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private sealed record Series(string Label, string Colour, Func<AuditDailyCount, long> Value);
}
