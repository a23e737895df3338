using System.Text;
using Suppression.Gateway.Access;
using Suppression.Gateway.Webhooks;

namespace Suppression.Gateway.Console;

/// <summary>
/// /console/webhooks: each outbound webhook endpoint, what it receives and how its delivery stands
/// (never its secret, and its URL without the query). An admin session also gets the recovery
/// buttons: Enable on an endpoint a 410 disabled, Requeue on one with dead letters.
/// </summary>
public static class WebhooksPage
{
    private const string Title = "Webhooks";

    /// <param name="notice">What the last action did, shown once after it (null otherwise).</param>
    public static ConsolePage Render(ConsoleView view, IReadOnlyList<WebhookEndpointDto> endpoints, string? notice)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(endpoints);
        var body = new StringBuilder(8192);
        if (notice is not null)
        {
            body.Append("<p class=\"status ok\" role=\"status\">").Append(Html.Encode(notice)).Append("</p>\n");
        }

        body.Append("<p class=\"note\">Signed events for every change of consent state, delivered at least once to the endpoints in "
            + "Suppression:Webhooks:Endpoints (README, Webhooks).</p>\n");
        if (endpoints.Count == 0)
        {
            body.Append("<p class=\"note\">No webhook endpoint is configured.</p>\n");
        }

        var admin = view.Role == ApiKeys.AdminRole;
        foreach (var endpoint in endpoints)
        {
            Endpoint(body, view, endpoint, admin);
        }

        if (endpoints.Count > 0 && !admin)
        {
            body.Append("<p class=\"note\">Enabling an endpoint or requeueing its dead letters needs an admin key; this session may only read.</p>\n");
        }

        return new ConsolePage(StatusCodes.Status200OK, Title, body.ToString(), view);
    }

    private static void Endpoint(StringBuilder body, ConsoleView view, WebhookEndpointDto endpoint, bool admin)
    {
        var heading = "endpoint-" + Html.Encode(endpoint.Id);
        body.Append("<section aria-labelledby=\"").Append(heading).Append("\">\n<h2 id=\"").Append(heading).Append("\">")
            .Append(Html.Encode(endpoint.Id)).Append("</h2>\n<dl class=\"report\">\n");
        Row(body, "URL", "<span class=\"identifier\">" + Html.Encode(endpoint.Url) + "</span>");
        Row(body, "Events", endpoint.Events.Count == 0 ? "every event but delivery.blocked" : Html.Encode(string.Join(", ", endpoint.Events)));
        Row(body, "Tenants", endpoint.Tenants.Count == 0 ? "every tenant" : Html.Encode(string.Join(", ", endpoint.Tenants)));
        Row(body, "Addresses", endpoint.IncludeAddress ? "included" : "keyed hash only");
        Row(body, "State", endpoint.Disabled
            ? "<strong>Disabled</strong>: " + Html.Encode(endpoint.DisabledReason ?? "no reason recorded") + " (nothing is sent until it is enabled)"
            : "Enabled");
        Row(body, "Last success", endpoint.LastSuccess is { } success ? Html.Time(success) : "never");
        Row(body, "Consecutive failures", Html.Number(endpoint.ConsecutiveFailures));
        Row(body, "Last error", endpoint.LastError is null ? "none" : Html.Encode(endpoint.LastError));
        Row(body, "Backlog", Html.Number(endpoint.Backlog) + (endpoint.Backlog == 1 ? " event" : " events"));
        Row(body, "Oldest undelivered", endpoint.OldestUndelivered is { } oldest ? Html.Time(oldest) : "none");
        Row(body, "Dead letters", Html.Number(endpoint.DeadLetters));
        body.Append("</dl>\n");

        var action = ConsolePaths.WebhookEndpoint(endpoint.Id);
        if (admin && (endpoint.Disabled || endpoint.DeadLetters > 0))
        {
            body.Append("<div class=\"actions\">");
            if (endpoint.Disabled)
            {
                body.Append("<form method=\"post\" action=\"").Append(Html.Encode(action + "/enable")).Append("\">").Append(view.FormToken)
                    .Append("<button type=\"submit\">Enable</button></form>");
            }

            if (endpoint.DeadLetters > 0)
            {
                body.Append("<form method=\"post\" action=\"").Append(Html.Encode(action + "/requeue")).Append("\">").Append(view.FormToken)
                    .Append("<button type=\"submit\" class=\"secondary\">Requeue dead letters</button></form>");
            }

            body.Append("</div>\n<p class=\"note\">Enable sends the events it kept queued, oldest first; requeue sends every dead letter again "
                + "with its original webhook-id. Either is logged with your actor.</p>\n");
        }

        body.Append("</section>\n");
    }

    private static void Row(StringBuilder body, string label, string content) =>
        body.Append("<dt>").Append(label).Append("</dt><dd>").Append(content).Append("</dd>\n");
}
