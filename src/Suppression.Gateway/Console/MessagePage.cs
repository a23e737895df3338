namespace Suppression.Gateway.Console;

/// <summary>The console's answers when a request cannot be carried out: what happened, and what to do.</summary>
public static class MessagePage
{
    public static ConsolePage FormRejected(ConsoleView view) => Render(
        view,
        StatusCodes.Status400BadRequest,
        "This form cannot be accepted",
        "The form did not carry this console's security token, or the token has expired (for example after signing in again "
        + "in another tab). Nothing was done. Go back, reload the page and submit the form again.");

    public static ConsolePage TooManySignIns(ConsoleView view, TimeSpan retryAfter) => Render(
        view,
        StatusCodes.Status429TooManyRequests,
        "Too many failed sign-ins",
        "There have been too many failed sign-ins from your network address in the last minute. Wait a minute and try again.",
        retryAfter);

    public static ConsolePage Unavailable(ConsoleView view) => Render(
        view,
        StatusCodes.Status503ServiceUnavailable,
        "The suppression list is unavailable",
        "The gateway could not reach its store just now. Nothing was changed. Try again in a few seconds.",
        TimeSpan.FromSeconds(5));

    public static ConsolePage AdminOnly(ConsoleView view) => Render(
        view,
        StatusCodes.Status403Forbidden,
        "Only an admin can decide",
        "Applying or dismissing a held report needs an admin key (Suppression:Admin:ApiKeys); this session has the compliance role, "
        + "which may read the queue but not change anything. Nothing was done.");

    public static ConsolePage NotQueued(ConsoleView view) => Render(
        view,
        StatusCodes.Status404NotFound,
        "No such report in the queue",
        "No report with this id is waiting for review: it was applied or dismissed, or is past Suppression:Feedback:ReviewRetention. Nothing was done.");

    public static ConsolePage WebhooksAdminOnly(ConsoleView view) => Render(
        view,
        StatusCodes.Status403Forbidden,
        "Only an admin can change webhook delivery",
        "Enabling a webhook endpoint or requeueing its dead letters needs an admin key (Suppression:Admin:ApiKeys); this session has the compliance role, "
        + "which may read the endpoints' state but not change it. Nothing was done.");

    public static ConsolePage TenantKeyRefused(ConsoleView view) => Render(
        view,
        StatusCodes.Status403Forbidden,
        "Not for a tenant key",
        $"This session's key acts for tenant '{view.Tenant}': in the console it may look up whether an address is blocked for its mail (the address page). "
        + "The dashboard, the audit log, downloads, the review queue and webhooks need a compliance or admin key.");

    public static ConsolePage NoSuchWebhookEndpoint(ConsoleView view) => Render(
        view,
        StatusCodes.Status404NotFound,
        "No such webhook endpoint",
        "No endpoint with this id is configured (Suppression:Webhooks:Endpoints). Nothing was done.");

    public static ConsolePage BadRequest(ConsoleView view, string title, string detail) =>
        Render(view, StatusCodes.Status400BadRequest, title, detail);

    private static ConsolePage Render(ConsoleView view, int statusCode, string title, string detail, TimeSpan? retryAfter = null)
    {
        var back = view.SignedIn ? view.Home : ConsolePaths.Login;
        var label = !view.SignedIn ? "Back to sign-in" : view.Tenant is null ? "Back to the dashboard" : "Back to the address page";
        var body = $"<section>\n<p class=\"error\" role=\"alert\">{Html.Encode(detail)}</p>\n"
            + $"<p><a href=\"{back}\">{label}</a></p>\n</section>";
        return new ConsolePage(statusCode, title, body, view) { RetryAfter = retryAfter };
    }
}
