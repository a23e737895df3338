using Microsoft.Extensions.DependencyInjection;
using Suppression.Redis.Layout;
using Suppression.Redis.Webhooks;
using Suppression.Webhooks;

namespace Suppression.Redis.Hosting;

/// <summary>
/// The store's half of webhooks (docs/design.md, Webhooks): with at least one endpoint, the outbox
/// (the audit writer pushes pointers), <see cref="IWebhookBacklog"/>, <see cref="IWebhookReplay"/> and the fan-out and sweep. With
/// none, nothing is registered and the audit script runs exactly as without webhooks.
/// </summary>
public static class SuppressionWebhookRegistration
{
    /// <param name="subscriptions">What each configured endpoint wants; the host builds them from <c>Suppression:Webhooks:Endpoints</c>.</param>
    public static IServiceCollection AddSuppressionWebhookStore(this IServiceCollection services, IReadOnlyList<WebhookSubscription> subscriptions)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            return services;
        }

        services.AddSingleton(subscriptions);
        services.AddSingleton(new WebhookOutbox(subscriptions));
        services.AddSingleton(sp => new RedisWebhookBacklog(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>()));
        services.AddSingleton<IWebhookBacklog>(sp => sp.GetRequiredService<RedisWebhookBacklog>());
        services.AddSingleton<IWebhookReplay>(sp => new WebhookFanOut(
            sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), sp.GetRequiredService<RedisWebhookBacklog>(),
            sp.GetRequiredService<WebhookOutbox>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<WebhookFanOutService>();
        return services;
    }
}
