namespace Suppression.Gateway.Webhooks;

/// <summary><c>Suppression:Webhooks:Endpoints:N</c>: one receiver and what it wants.</summary>
public sealed class WebhookEndpointOptions
{
    /// <summary>Names the endpoint in the API, the metrics and the store's keys: lower-case letters, digits and '-'.</summary>
    public string Id { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary><c>whsec_</c> + base64 of the key; during a rotation several, separated by spaces, each signing every delivery.</summary>
    public string Secret { get; set; } = "";

    /// <summary>The event types to send; empty: all but <c>delivery.blocked</c>.</summary>
    public string[] Events { get; set; } = [];

    /// <summary>The tenants whose events to send; empty: all, and the global ones.</summary>
    public string[] Tenants { get; set; } = [];

    /// <summary>Whether payloads carry the address; false, only its keyed hash.</summary>
    public bool IncludeAddress { get; set; } = true;

    /// <summary>Attempts in flight at once to this receiver (1 to 64): more for a fast receiver far away, fewer for a small one.</summary>
    public int Concurrency { get; set; } = WebhookEndpointDelivery.Parallelism;
}
