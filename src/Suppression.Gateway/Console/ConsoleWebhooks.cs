using System.Globalization;
using System.Security.Claims;
using Suppression.Gateway.Access;
using Suppression.Gateway.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Gateway.Console;

/// <summary>
/// /console/webhooks: the endpoints' state for every session, and the admin's enable and requeue,
/// which act as the API does (<see cref="WebhookOperatorActions"/>), logged with the session's actor.
/// Each answers 303 to the page, so a reload does not post it again.
/// </summary>
public static class ConsoleWebhooks
{
    public static async Task<ConsolePage> ListAsync(
        HttpContext http, IReadOnlyList<WebhookEndpoint> endpoints, IReadOnlyList<WebhookSubscription> subscriptions,
        string? enabled, string? requeued, string? count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var states = await WebhookEndpointStates.ListAsync(endpoints, subscriptions, http.RequestServices, cancellationToken);
        return WebhooksPage.Render(ConsoleView.For(http), states, Notice(endpoints, enabled, requeued, count));
    }

    public static async Task<IResult> EnableAsync(
        HttpContext http, string id, IReadOnlyList<WebhookEndpoint> endpoints, WebhookOperatorActions actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(actions);
        if (Refusal(http, id, endpoints) is { } refused)
        {
            return refused;
        }

        await actions.EnableAsync(id, AdminActorOf(http)!, cancellationToken);
        return new SeeOther($"{ConsolePaths.Webhooks}?enabled={Uri.EscapeDataString(id)}");
    }

    public static async Task<IResult> RequeueAsync(
        HttpContext http, string id, IReadOnlyList<WebhookEndpoint> endpoints, WebhookOperatorActions actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(actions);
        if (Refusal(http, id, endpoints) is { } refused)
        {
            return refused;
        }

        var requeued = await actions.RequeueDeadLettersAsync(id, AdminActorOf(http)!, cancellationToken);
        return new SeeOther(string.Create(CultureInfo.InvariantCulture, $"{ConsolePaths.Webhooks}?requeued={Uri.EscapeDataString(id)}&count={requeued}"));
    }

    private static ConsolePage? Refusal(HttpContext http, string id, IReadOnlyList<WebhookEndpoint> endpoints) =>
        AdminActorOf(http) is null ? MessagePage.WebhooksAdminOnly(ConsoleView.For(http))
        : !endpoints.Any(endpoint => endpoint.Id == id) ? MessagePage.NoSuchWebhookEndpoint(ConsoleView.For(http))
        : null;

    // The API lets only admin keys write; a console session of a compliance key may read the state, not change it.
    private static string? AdminActorOf(HttpContext http) =>
        http.User.FindFirstValue(ConsoleAuthentication.RoleClaim) == ApiKeys.AdminRole ? http.User.FindFirstValue(ConsoleAuthentication.ActorClaim) : null;

    // The query only says which notice to show; anyone can type it, so it names only configured endpoints and a count.
    private static string? Notice(IReadOnlyList<WebhookEndpoint> endpoints, string? enabled, string? requeued, string? count)
    {
        if (Configured(endpoints, requeued) && long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var moved))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Endpoint {requeued}: {moved} dead {(moved == 1 ? "letter" : "letters")} requeued, due at once.");
        }

        return Configured(endpoints, enabled) ? $"Endpoint {enabled} enabled: its queued events are sent again." : null;
    }

    private static bool Configured(IReadOnlyList<WebhookEndpoint> endpoints, string? id) => id is not null && endpoints.Any(endpoint => endpoint.Id == id);
}
