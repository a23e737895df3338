namespace Suppression.Gateway.Webhooks;

/// <summary>A configured endpoint as the delivery uses it: validated URL and parsed keys.</summary>
public sealed record WebhookEndpoint(string Id, Uri Url, WebhookSigner Signer, int Concurrency = WebhookEndpointDelivery.Parallelism)
{
    /// <summary>From options <see cref="WebhookOptionsValidation"/> has passed.</summary>
    public static WebhookEndpoint From(WebhookEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WebhookSecret.TryParseKeys(options.Secret, out var keys)
            ? new WebhookEndpoint(options.Id, new Uri(options.Url, UriKind.Absolute), new WebhookSigner(keys), options.Concurrency)
            : throw new InvalidOperationException($"Suppression:Webhooks endpoint {options.Id}: the secret was not validated");
    }

    /// <summary>What the API shows of the URL: no query, which may hold a receiver's token.</summary>
    public string DisplayUrl => Url.GetLeftPart(UriPartial.Path);
}
