using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Delivery;
using Suppression.Feedback;
using Suppression.Redis.Audit;
using Suppression.Redis.Connection;
using Suppression.Redis.Delivery;
using Suppression.Redis.Feedback;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Suppressions;
using Suppression.Redis.Webhooks;
using Suppression.Suppressions;

namespace Suppression.Redis.Hosting;

/// <summary>
/// The store: the connection (awaited by what is built before it), the key layout, the resilience
/// pipelines and every Core abstraction it implements. Needs <see cref="AddressVariantRules"/>,
/// <see cref="AuditKey"/>, a <see cref="TimeProvider"/> and <see cref="StoreHostOptions"/> from the host,
/// which also starts <see cref="SuppressionStorage"/> as its first hosted service: only the host knows
/// how to tell its operator that a store cannot be used (a format marker from a later version).
/// </summary>
public static class SuppressionRedisRegistration
{
    /// <summary>The store's keys of the <c>Suppression</c> section, validated by their own type.</summary>
    public static IServiceCollection AddSuppressionRedisOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SuppressionRedisOptions>().Bind(configuration.GetSection("Suppression")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SuppressionRedisOptions>, SuppressionRedisOptionsValidation>();
        return services;
    }

    /// <param name="webhooks">
    /// The configured webhook endpoints' subscriptions; null or empty: webhooks off, and no outbox is
    /// written (<see cref="SuppressionWebhookRegistration"/>).
    /// </param>
    public static IServiceCollection AddSuppressionRedis(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<Suppression.Webhooks.WebhookSubscription>? webhooks = null)
    {
        // The host may have registered its own clock (tests pass a fake one); this is the default.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSuppressionRedisOptions(configuration);
        services.AddSingleton(sp => new RedisKeyLayout(Options(sp).RedisKeyPrefix, sp.GetRequiredService<AddressVariantRules>()));
        services.AddSingleton(sp => new SuppressionStorage(
            Options(sp).Redis, sp.GetRequiredService<IOptions<StoreHostOptions>>().Value.DataDirectory, sp.GetRequiredService<RedisKeyLayout>(),
            Options(sp).NewStoreFormat, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ISuppressionStoreReadiness>(sp => sp.GetRequiredService<SuppressionStorage>());

        // Everything below is built from the connection, so only after the start: whatever is built
        // before it (the SMTP listener, the retention job) awaits ISuppressionStoreReadiness first.
        services.AddSingleton<IConnectionMultiplexer>(sp => sp.GetRequiredService<SuppressionStorage>().StartedConnection);
        services.AddSingleton(sp => new RedisResilience(Options(sp).RedisResilience, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<AuditedChangeWriter>();
        services.AddSingleton<ISuppressionStore, RedisSuppressionStore>();
        services.AddSingleton<IBlockedDeliveryLog, RedisBlockedDeliveryLog>();
        services.AddSingleton<IAuditTrail, RedisAuditTrail>();
        services.AddSingleton<IErasure, RedisErasure>();
        services.AddSingleton<ISuppressionList, RedisSuppressionList>();
        services.AddSingleton<RedisStorageUpgrade>();
        services.AddSingleton<IFeedbackStore, RedisFeedbackStore>();
        services.AddSingleton<IProviderEventLedger, RedisProviderEventLedger>();
        services.AddSingleton<IFeedbackReview>(sp => new RedisFeedbackReview(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), sp.GetRequiredService<AuditedChangeWriter>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<StoreHostOptions>>().Value.FeedbackReviewRetention,
            sp.GetService<WebhookOutbox>()));
        services.AddSingleton<IAcceptedCopies>(sp => new RedisAcceptedCopies(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), resilience: sp.GetRequiredService<RedisResilience>()));
        services.AddSingleton<IRecordedBlockedDeliveries>(sp => new RedisRecordedBlockedDeliveries(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), resilience: sp.GetRequiredService<RedisResilience>()));
        services.AddHostedService<AuditRetentionService>();
        services.AddSuppressionWebhookStore(webhooks ?? []);
        return services;
    }

    private static SuppressionRedisOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SuppressionRedisOptions>>().Value;
}
