using System.Text;
using Suppression.Feedback;
using Suppression.Gateway.Access;

namespace Suppression.Gateway.Console;

/// <summary>
/// One held report: where it came from, what it says of each recipient, and, for an admin, the two
/// decisions (apply: write the suppressions it asks for; dismiss: suppress nobody). A compliance
/// officer sees the same page without the buttons.
/// </summary>
public static class ReviewItemPage
{
    public static ConsolePage Render(ConsoleView view, FeedbackReviewItem item)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(item);
        var applicable = item.Recipients.Count(recipient => recipient.Reason is not null);
        var body = new StringBuilder(8192);
        body.Append("<section aria-labelledby=\"report\">\n<h2 id=\"report\">Report</h2>\n<dl class=\"report\">\n");
        Row(body, "Id", Html.Encode(item.Id));
        Row(body, "Received", Html.Time(item.Received));
        Row(body, "Kind", Html.Encode(item.Kind == "arf" ? "arf (complaint)" : "dsn (bounce)"));
        Row(body, "Client IP", Html.Encode(item.ClientIp));
        Row(body, "Report Message-ID", Html.Encode(item.ReportMessageId));
        Row(body, "Original Message-ID", Html.Encode(item.OriginalMessageId));
        body.Append("</dl>\n</section>\n")
            .Append("<section aria-labelledby=\"recipients\">\n<h2 id=\"recipients\">Recipients</h2>\n")
            .Append("<div class=\"table\"><table class=\"records\">\n<thead><tr><th scope=\"col\">Address</th><th scope=\"col\">Verdict</th>"
                + "<th scope=\"col\">Scope</th><th scope=\"col\">Reason</th><th scope=\"col\">Status</th><th scope=\"col\">Diagnostic</th>"
                + "<th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
        foreach (var recipient in item.Recipients)
        {
            body.Append("<tr><td class=\"identifier\" data-label=\"Address\">").Append(Html.Encode(recipient.Address))
                .Append("</td><td data-label=\"Verdict\">").Append(Html.Encode(recipient.Verdict))
                .Append("</td><td data-label=\"Scope\">").Append(Html.Encode(recipient.Scope))
                .Append("</td><td data-label=\"Reason\">").Append(Html.Encode(recipient.Reason ?? "none (never suppresses)"))
                .Append("</td><td data-label=\"Status\">").Append(Html.Encode(recipient.Status))
                .Append("</td><td class=\"identifier\" data-label=\"Diagnostic\">").Append(Html.Encode(recipient.Diagnostic))
                .Append("</td><td class=\"identifier\" data-label=\"Evidence\">").Append(Html.Encode(recipient.Evidence))
                .Append("</td></tr>\n");
        }

        body.Append("</tbody>\n</table></div>\n</section>\n<section aria-labelledby=\"decision\">\n<h2 id=\"decision\">Decision</h2>\n");
        if (view.Role == ApiKeys.AdminRole)
        {
            var action = ConsolePaths.ReviewItem(item.Id);
            body.Append("<p>Apply writes ").Append(Html.Number(applicable)).Append(applicable == 1 ? " suppression" : " suppressions")
                .Append(" as the report asks; dismiss suppresses nobody. Either takes the report off the queue and is recorded in the audit log with your actor.</p>\n")
                .Append("<div class=\"actions\">")
                .Append("<form method=\"post\" action=\"").Append(Html.Encode(action + "/apply")).Append("\">").Append(view.FormToken)
                .Append("<button type=\"submit\">Apply</button></form>")
                .Append("<form method=\"post\" action=\"").Append(Html.Encode(action + "/dismiss")).Append("\">").Append(view.FormToken)
                .Append("<button type=\"submit\" class=\"secondary\">Dismiss</button></form></div>\n");
        }
        else
        {
            body.Append("<p class=\"note\">Applying or dismissing a report needs an admin key; this session may only read the queue.</p>\n");
        }

        body.Append("<p><a href=\"").Append(ConsolePaths.Review).Append("\">Back to the review queue</a></p>\n</section>");
        return new ConsolePage(StatusCodes.Status200OK, "Held report " + item.Id, body.ToString(), view);
    }

    private static void Row(StringBuilder body, string label, string content) =>
        body.Append("<dt>").Append(label).Append("</dt><dd>").Append(content).Append("</dd>\n");
}
