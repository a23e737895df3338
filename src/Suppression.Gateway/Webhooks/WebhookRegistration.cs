using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Suppression.Webhooks;

namespace Suppression.Gateway.Webhooks;

/// <summary>The webhooks' options, the subscriptions the store fans events out by, and the delivery when endpoints are configured.</summary>
public static class WebhookRegistration
{
    public static IServiceCollection AddWebhookOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Suppression")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidation>();
        return services;
    }

    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, WebhookDeliveryOptions webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        services.AddWebhookOptions(configuration);
        // The store registers the same list when endpoints exist (it fans events out by it); the API needs it always.
        services.TryAddSingleton<IReadOnlyList<WebhookSubscription>>(sp => Subscriptions(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Webhooks));
        services.AddSingleton<IReadOnlyList<WebhookEndpoint>>(sp =>
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Webhooks.Endpoints.Select(WebhookEndpoint.From).ToList());
        services.AddSingleton<WebhookOperatorActions>();
        if (webhooks.Endpoints.Length == 0)
        {
            return services;
        }

        services.AddSingleton<IWebhookSender>(sp => new WebhookSender(
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Webhooks.AllowPrivateNetworks, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<WebhookDeliveryService>();
        return services;
    }

    public static List<WebhookSubscription> Subscriptions(WebhookDeliveryOptions webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        return webhooks.Endpoints
            .Select(endpoint => new WebhookSubscription(endpoint.Id, endpoint.Events, endpoint.Tenants, endpoint.IncludeAddress))
            .ToList();
    }
}
