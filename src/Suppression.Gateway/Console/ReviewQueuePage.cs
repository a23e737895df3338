using System.Text;
using Suppression.Feedback;

namespace Suppression.Gateway.Console;

/// <summary>
/// The reports waiting for a person (<c>Suppression:Feedback:Unauthenticated</c> = <c>Review</c>),
/// newest first: when each came, from which client, what kind, and what it says of each recipient.
/// Each links to its own page (by id: addresses stay out of URLs), where an admin decides.
/// </summary>
public static class ReviewQueuePage
{
    public const int PageSize = 200;

    private const string Title = "Review queue";

    /// <param name="notice">What the last decision did, shown once after it (null otherwise).</param>
    public static ConsolePage Render(ConsoleView view, IReadOnlyList<FeedbackReviewItem> items, bool more, string? notice)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(items);
        var body = new StringBuilder(16_384);
        if (notice is not null)
        {
            body.Append("<p class=\"status ok\" role=\"status\">").Append(Html.Encode(notice)).Append("</p>\n");
        }

        body.Append("<section aria-labelledby=\"reports\">\n<h2 id=\"reports\">Reports waiting: ")
            .Append(Html.Number(items.Count)).Append(more ? " (the newest)" : string.Empty).Append("</h2>\n")
            .Append("<p class=\"note\">Bounces and complaints that came without proof they are about mail this gateway sent "
                + "(no signed return path, no token of ours for the complainant). They suppress nobody until an admin applies them; "
                + "each decision is recorded in the audit log with who made it.</p>\n");
        if (items.Count == 0)
        {
            body.Append("<p class=\"note\">No report is waiting for review.</p>\n");
        }
        else
        {
            body.Append("<div class=\"table\"><table class=\"records\">\n<thead><tr><th scope=\"col\">Received</th><th scope=\"col\">Kind</th>"
                + "<th scope=\"col\">Client IP</th><th scope=\"col\">Recipients</th><th scope=\"col\">Report</th></tr></thead>\n<tbody>\n");
            foreach (var item in items)
            {
                body.Append("<tr><td data-label=\"Received\">").Append(Html.Time(item.Received))
                    .Append("</td><td data-label=\"Kind\">").Append(Html.Encode(item.Kind))
                    .Append("</td><td class=\"identifier\" data-label=\"Client IP\">").Append(Html.Encode(item.ClientIp))
                    .Append("</td><td class=\"identifier\" data-label=\"Recipients\">").Append(Recipients(item))
                    .Append("</td><td data-label=\"Report\"><a href=\"").Append(Html.Encode(ConsolePaths.ReviewItem(item.Id))).Append("\">View report ")
                    .Append(Html.Encode(item.Id)).Append("</a></td></tr>\n");
            }

            body.Append("</tbody>\n</table></div>\n");
        }

        if (more)
        {
            body.Append("<p class=\"note\">Only the newest ").Append(Html.Number(PageSize))
                .Append(" are shown; the API (GET /api/v1/feedback/review) lists up to 1,000.</p>\n");
        }

        body.Append("</section>");
        return new ConsolePage(StatusCodes.Status200OK, Title, body.ToString(), view);
    }

    // Each recipient with what the report says of it: verdict, scope, status and the remote server's words.
    private static string Recipients(FeedbackReviewItem item)
    {
        var html = new StringBuilder("<ul class=\"recipients\">");
        foreach (var recipient in item.Recipients)
        {
            html.Append("<li>").Append(Html.Encode(recipient.Address)).Append(": ").Append(Html.Encode(recipient.Verdict))
                .Append(" (").Append(Html.Encode(recipient.Scope)).Append(')');
            if (recipient.Status is not null)
            {
                html.Append(", status ").Append(Html.Encode(recipient.Status));
            }

            if (recipient.Diagnostic is not null)
            {
                html.Append(", \u201c").Append(Html.Encode(recipient.Diagnostic)).Append('\u201d');
            }

            html.Append("</li>");
        }

        return html.Append("</ul>").ToString();
    }
}
