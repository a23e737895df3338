using System.Text;
using Suppression.Audit;

namespace Suppression.Gateway.Console;

/// <summary>
/// The audit log: a filter (record types, from and to dates), one page of records, a link to the
/// next page (the last record's cursor), and downloads of everything the filter matches.
/// </summary>
public static class AuditPage
{
    public const int PageSize = 100;

    private const string Title = "Audit log";

    public static ConsolePage Render(ConsoleView view, AuditFilter filter, IReadOnlyList<AuditEntry> records, string? nextCursor)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(records);
        var body = new StringBuilder(32_768);
        body.Append("<section>\n").Append(Form(filter)).Append(Downloads(filter)).Append("</section>\n<section aria-labelledby=\"records\">\n")
            .Append("<h2 id=\"records\">").Append(filter.After is null ? "Records" : "Records (continued)").Append("</h2>\n");
        if (records.Count == 0)
        {
            body.Append("<p class=\"note\">No records match this filter.</p>\n");
        }
        else
        {
            body.Append("<p class=\"note\">").Append(Html.Number(records.Count)).Append(records.Count == 1 ? " record" : " records")
                .Append(", chain by chain, each chain oldest first.</p>\n")
                .Append(AuditTable.Render(records));
        }

        if (filter.After is not null || nextCursor is not null)
        {
            body.Append("<nav class=\"pager\" aria-label=\"Pages\">");
            if (filter.After is not null)
            {
                body.Append("<a href=\"").Append(ConsolePaths.Audit).Append(Html.Encode(filter.QueryString())).Append("\">First page</a>");
            }

            if (nextCursor is not null)
            {
                body.Append("<a href=\"").Append(ConsolePaths.Audit).Append(Html.Encode(filter.QueryString(after: nextCursor))).Append("\" rel=\"next\">Next page</a>");
            }

            body.Append("</nav>\n");
        }

        body.Append("</section>");
        return new ConsolePage(StatusCodes.Status200OK, Title, body.ToString(), view);
    }

    public static ConsolePage Invalid(ConsoleView view, AuditFilter filter, string field, string error)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(filter);
        var body = $"<section>\n<p class=\"error\" role=\"alert\">{Html.Encode(field)}: {Html.Encode(error)}</p>\n{Form(filter)}</section>";
        return new ConsolePage(StatusCodes.Status400BadRequest, Title, body, view);
    }

    // GET, so a filtered page can be bookmarked and shared: it never holds an address.
    private static string Form(AuditFilter filter)
    {
        var form = new StringBuilder(2048);
        form.Append("<form class=\"filters\" method=\"get\" action=\"").Append(ConsolePaths.Audit).Append("\">\n<fieldset><legend>Record types</legend>");
        foreach (var type in AuditEventTypes.AllNames)
        {
            form.Append("<label><input type=\"checkbox\" name=\"type\" value=\"").Append(type).Append('"')
                .Append(filter.Includes(type) ? " checked" : string.Empty).Append('>').Append(type).Append("</label>");
        }

        form.Append("</fieldset>\n")
            .Append("<div class=\"field\"><label for=\"from\">From (UTC)</label><input id=\"from\" name=\"from\" type=\"date\" value=\"").Append(Html.Encode(filter.From)).Append("\"></div>\n")
            .Append("<div class=\"field\"><label for=\"to\">To (UTC, inclusive)</label><input id=\"to\" name=\"to\" type=\"date\" value=\"").Append(Html.Encode(filter.To)).Append("\"></div>\n")
            .Append("<button type=\"submit\">Filter</button>\n</form>\n");
        return form.ToString();
    }

    private static string Downloads(AuditFilter filter)
    {
        var all = filter with { After = null };
        return "<p class=\"actions\">Everything this filter matches: "
            + $"<a href=\"{ConsolePaths.AuditDownload}{Html.Encode(all.QueryString(format: "csv"))}\" download>Download CSV</a>"
            + $"<a href=\"{ConsolePaths.AuditDownload}{Html.Encode(all.QueryString(format: "ndjson"))}\" download>Download NDJSON</a></p>\n";
    }
}
