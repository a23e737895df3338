using System.Globalization;
using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// The dashboard: the last chain verification and the button that runs one, the last 30 days'
/// activity as a chart, and the suppression list downloads.
/// </summary>
public static class DashboardPage
{
    public static ConsolePage Render(ConsoleView view, CheckedVerification? verification, IReadOnlyList<AuditDailyCount> days)
    {
        ArgumentNullException.ThrowIfNull(view);
        var body = "<section aria-labelledby=\"chains\">\n<h2 id=\"chains\">Audit chain verification</h2>\n"
            + Status(verification)
            + $"<form method=\"post\" action=\"{ConsolePaths.Verify}\" class=\"actions\">{view.FormToken}"
            + "<button type=\"submit\">Verify the chains now</button>"
            + "<span class=\"note\">Recomputes every record's hash; on a long trail this takes a while.</span></form>\n</section>\n"
            + "<section aria-labelledby=\"activity\">\n<h2 id=\"activity\">Last 30 days</h2>\n"
            + SvgChart.Render(days)
            + "</section>\n"
            + "<section aria-labelledby=\"downloads\">\n<h2 id=\"downloads\">Suppression list</h2>\n"
            + "<p>Every entry of every address, as the export API gives it.</p>\n<p class=\"actions\">"
            + $"<a href=\"{ConsolePaths.SuppressionsDownload}?format=csv\" download>Download CSV</a>"
            + $"<a href=\"{ConsolePaths.SuppressionsDownload}?format=ndjson\" download>Download NDJSON</a></p>\n</section>";
        return new ConsolePage(StatusCodes.Status200OK, "Dashboard", body, view);
    }

    private static string Status(CheckedVerification? verification)
    {
        if (verification is null)
        {
            return "<p class=\"status\" role=\"status\">Not verified since this gateway started.</p>\n";
        }

        var result = verification.Result;
        var when = $"checked at {Html.Time(verification.CheckedAt)} in {Seconds(verification.Duration)} by {Html.Encode(verification.CheckedBy)}";
        return result.Ok
            ? $"<p class=\"status ok\" role=\"status\">Intact: {Html.Number(result.Records)} records in {Html.Number(result.Chains)} chains, {when}.</p>\n"
            : $"<p class=\"status broken\" role=\"alert\"><strong>BROKEN</strong> at chain {Html.Encode(result.FirstBadChain)} "
              + $"sequence {Html.Encode(result.FirstBadSequence?.ToString(CultureInfo.InvariantCulture))}: {Html.Encode(result.Problem)}. "
              + $"{Html.Number(result.Records)} records in {Html.Number(result.Chains)} chains were intact before it; {when}.</p>\n";
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
