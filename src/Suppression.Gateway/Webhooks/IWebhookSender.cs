using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>One attempt at one delivery; the seam the delivery's tests replace.</summary>
public interface IWebhookSender
{
    Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, QueuedWebhook webhook, CancellationToken cancellationToken);
}
