using System.Text;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Gateway.Console;

/// <summary>
/// One address's story: the search form (which POSTs, so the address stays out of URLs, browser
/// history and access logs), the suppressions that apply now, and every audit record in the order
/// it happened, with downloads of those records.
/// </summary>
public static class AddressPage
{
    private const string Title = "Address history";

    public static ConsolePage Form(ConsoleView view, string? address = null, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var body = "<section>\n" + SearchForm(view, address, error) + "</section>";
        return new ConsolePage(error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, Title, body, view);
    }

    public static ConsolePage History(ConsoleView view, string address, IReadOnlyList<SuppressionEntry> entries, IReadOnlyList<AuditEntry> records)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(records);
        var body = new StringBuilder(16_384);
        body.Append("<section>\n").Append(SearchForm(view, address, error: null)).Append("</section>\n")
            .Append("<section aria-labelledby=\"current\">\n<h2 id=\"current\">Suppressions of ").Append(Html.Encode(address)).Append(" now</h2>\n")
            .Append(Entries(entries))
            .Append("</section>\n<section aria-labelledby=\"history\">\n<h2 id=\"history\">History: ")
            .Append(Html.Number(records.Count)).Append(records.Count == 1 ? " record" : " records").Append("</h2>\n");
        if (records.Count == 0)
        {
            body.Append("<p class=\"note\">The audit trail has no record of this address.</p>\n");
        }
        else
        {
            body.Append("<p class=\"note\">Oldest first. Blocked and overridden deliveries are kept for the retention period; changes to the list until erased.</p>\n")
                .Append(AuditTable.Render(records));
        }

        body.Append("<div class=\"actions\">");
        foreach (var (format, label) in new[] { ("csv", "Download CSV"), ("ndjson", "Download NDJSON") })
        {
            body.Append("<form method=\"post\" action=\"").Append(ConsolePaths.AddressDownload).Append("\">").Append(view.FormToken)
                .Append("<input type=\"hidden\" name=\"address\" value=\"").Append(Html.Encode(address)).Append("\">")
                .Append("<input type=\"hidden\" name=\"format\" value=\"").Append(format).Append("\">")
                .Append("<button type=\"submit\" class=\"secondary\">").Append(label).Append("</button></form>");
        }

        body.Append("</div>\n</section>");
        return new ConsolePage(StatusCodes.Status200OK, Title, body.ToString(), view);
    }

    /// <summary>A tenant session's answer: the entries that block this tenant's mail now (<see cref="Access.TenantView"/>), no history, no downloads.</summary>
    public static ConsolePage ForTenant(ConsoleView view, string address, IReadOnlyList<SuppressionEntry> visibleEntries)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(visibleEntries);
        var body = new StringBuilder(4096);
        body.Append("<section>\n").Append(SearchForm(view, address, error: null)).Append("</section>\n")
            .Append("<section aria-labelledby=\"current\">\n<h2 id=\"current\">Suppressions of ").Append(Html.Encode(address))
            .Append(" for ").Append(Html.Encode(view.Tenant)).Append("'s mail now</h2>\n")
            .Append(Entries(visibleEntries))
            .Append("<p class=\"note\">Global entries and entries of this tenant and its topics. The audit history is kept for compliance and admin keys.</p>\n")
            .Append("</section>");
        return new ConsolePage(StatusCodes.Status200OK, Title, body.ToString(), view);
    }

    private static string SearchForm(ConsoleView view, string? address, string? error)
    {
        var message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\" id=\"address-error\">{Html.Encode(error)}</p>\n";
        var described = error is null ? string.Empty : " aria-invalid=\"true\" aria-describedby=\"address-error\"";
        return message
            + $"<form class=\"stack\" method=\"post\" action=\"{ConsolePaths.Address}\">{view.FormToken}\n"
            + "<label for=\"address\">Address</label>\n"
            + $"<input id=\"address\" name=\"address\" type=\"text\" inputmode=\"email\" autocomplete=\"off\" spellcheck=\"false\" required value=\"{Html.Encode(address)}\"{described}>\n"
            + "<button type=\"submit\">Show history</button>\n</form>\n";
    }

    private static string Entries(IReadOnlyList<SuppressionEntry> entries)
    {
        if (entries.Count == 0)
        {
            return "<p class=\"note\">No suppression applies: mail to this address is delivered.</p>\n";
        }

        var html = new StringBuilder("<div class=\"table\"><table class=\"records\">\n<thead><tr><th scope=\"col\">Scope</th><th scope=\"col\">Reason</th>"
            + "<th scope=\"col\">Source</th><th scope=\"col\">Since</th><th scope=\"col\">Blocks</th></tr></thead>\n<tbody>\n");
        foreach (var entry in entries)
        {
            html.Append("<tr><td data-label=\"Scope\">").Append(Html.Encode(entry.Scope.ToString()))
                .Append("</td><td data-label=\"Reason\">").Append(Html.Encode(entry.Reason.Name()))
                .Append("</td><td data-label=\"Source\">").Append(Html.Encode(entry.Source.Name()))
                .Append("</td><td data-label=\"Since\">").Append(Html.Time(entry.CreatedAt))
                .Append("</td><td data-label=\"Blocks\">").Append(entry.Blocks(MessageClass.Transactional) ? "all mail" : "marketing mail")
                .Append("</td></tr>\n");
        }

        return html.Append("</tbody>\n</table></div>\n").ToString();
    }
}
