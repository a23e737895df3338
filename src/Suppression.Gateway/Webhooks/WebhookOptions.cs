namespace Suppression.Gateway.Webhooks;

/// <summary>The webhook keys of the <c>Suppression</c> section, as the store's and the SMTP side's options share it (docs/design.md, Composition).</summary>
public sealed class WebhookOptions
{
    public WebhookDeliveryOptions Webhooks { get; set; } = new();
}
