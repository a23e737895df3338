namespace Suppression.Gateway.Webhooks;

/// <summary><c>Suppression:Webhooks</c>: where events are sent, and whether private networks may be.</summary>
public sealed class WebhookDeliveryOptions
{
    public WebhookEndpointOptions[] Endpoints { get; set; } = [];

    /// <summary>
    /// Lets endpoints be http, loopback or private addresses: for a receiver on the same machine in
    /// development. Off, a configured URL cannot make the gateway reach its own network (SSRF).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}
