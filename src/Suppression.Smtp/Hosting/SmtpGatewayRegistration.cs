using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suppression.Addresses;
using Suppression.Delivery;
using Suppression.Feedback;
using Suppression.ReturnPath;
using Suppression.Smtp.Delivery;
using Suppression.Smtp.Delivery.Dsn;
using Suppression.Smtp.Dkim;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Feedback.Providers;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Logins;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Smtp.Unsubscribe;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Smtp.Hosting;

/// <summary>
/// The SMTP side: the listener's handler and sessions, the policy, delivery and the upstream relay,
/// tenants and logins, the feedback mailboxes. Needs the store's abstractions and its readiness,
/// <see cref="AddressVariantRules"/>, <see cref="TokenKeyRing"/>, <see cref="UnsubscribeTokenCodec"/>,
/// optionally <see cref="UnsubscribeStamping"/> and more <see cref="ILocalMailbox"/>es, from the host.
/// </summary>
public static class SmtpGatewayRegistration
{
    /// <summary>The SMTP side's sections of <c>Suppression</c>, validated by their own type.</summary>
    public static IServiceCollection AddSmtpGatewayOptions(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Suppression");
        services.AddOptions<SmtpGatewayOptions>().Bind(section).PostConfigure(options => TopicTranslations.Read(section, options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpGatewayOptions>, SmtpGatewayOptionsValidation>();
        return services;
    }

    public static IServiceCollection AddSmtpGateway(this IServiceCollection services, IConfiguration configuration)
    {
        // The host may have registered its own clock (tests pass a fake one); this is the default.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSmtpGatewayOptions(configuration);
        services.AddSingleton(sp => new TenantDirectory(Options(sp).Tenants));
        services.AddSingleton(sp => new LoginFailures(Options(sp).Smtp.ToLoginLimits(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRecipientPolicy>(sp => new SuppressionRecipientPolicy(
            sp.GetRequiredService<ISuppressionStore>(), Options(sp).Smtp.BlockedRecipient, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SuppressionRecipientPolicy>>()));
        services.AddSingleton(sp => Options(sp).Upstream);
        services.AddSingleton<IMessageRelay>(sp => string.IsNullOrWhiteSpace(Options(sp).Upstream.Host)
            ? new PickupDirectoryRelay(Options(sp).Upstream.PickupDirectory ?? throw new InvalidOperationException("The host sets the default pickup directory."), sp.GetRequiredService<TimeProvider>())
            : new UpstreamSmtpRelay(Options(sp).Upstream, Options(sp).Smtp.Hostname, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UpstreamSmtpRelay>>()));
        services.AddSingleton(sp => new ReturnPathTagCodec(new ReturnPathKeyRing(sp.GetRequiredService<TokenKeyRing>()), Options(sp).Feedback.ReturnPathValidity));
        services.AddSingleton(CopyWriter);
        services.AddSingleton<BlockedDeliveryRecorder>();
        services.AddSingleton<RefusalNotifier>();
        services.AddSingleton<FirstHandBounces>();
        services.AddSingleton(sp => new RelayedCopies(sp.GetRequiredService<IAcceptedCopies>(), kept: Options(sp).Feedback.Providers is { Length: > 0 }));
        services.AddSingleton(sp => new ProviderFeedback(
            Options(sp).Feedback, sp.GetRequiredService<ISuppressionStore>(), sp.GetRequiredService<IFeedbackStore>(), sp.GetRequiredService<IFeedbackReview>(),
            sp.GetRequiredService<RelayedCopies>(), sp.GetRequiredService<IProviderEventLedger>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ProviderFeedback>>()));
        services.AddSingleton<MessageDelivery>();
        services.AddSingleton(sp => new SmtpServerServices(
            Options(sp).Smtp,
            sp.GetRequiredService<IRecipientPolicy>(),
            sp.GetRequiredService<MessageDelivery>(),
            sp.GetRequiredService<IBlockedDeliveryLog>(),
            SmtpCertificateLoader.Load(Options(sp).Smtp),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            [.. sp.GetServices<ILocalMailbox>(), .. FeedbackMailboxes(sp)],
            sp.GetRequiredService<TenantDirectory>(),
            new SmtpAuthenticator(Options(sp).Tenants, sp.GetRequiredService<TenantDirectory>()),
            sp.GetRequiredService<LoginFailures>()));
        services.AddSingleton(sp => new SmtpConnectionHandler(
            SessionServicesOnceTheStoreIsReady(sp), sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<SmtpConnectionHandler>>()));
        return services;
    }

    // Kestrel builds the handler with the endpoints, before the store has started; the sessions'
    // services are built from the store, so only once it is ready.
    private static async Task<SmtpServerServices> SessionServicesOnceTheStoreIsReady(IServiceProvider services)
    {
        await services.GetRequiredService<ISuppressionStoreReadiness>().WhenReadyAsync(services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        return services.GetRequiredService<SmtpServerServices>();
    }

    private static RecipientCopyWriter CopyWriter(IServiceProvider sp)
    {
        var options = Options(sp);
        var tenants = sp.GetRequiredService<TenantDirectory>();
        return new RecipientCopyWriter(
            sp.GetService<UnsubscribeStamping>(),
            options.Dkim.Signers is { Length: > 0 } ? new MessageDkimSigner(options.Dkim) : null,
            options.UsesReturnPaths()
                ? new ReturnPathSigner(sp.GetRequiredService<ReturnPathTagCodec>(), sp.GetRequiredService<AddressVariantRules>(), options.Feedback.ReturnPathDomain?.Trim().ToLowerInvariant(), tenants)
                : null,
            tenants);
    }

    // The feedback addresses, then the signed return paths: mail to either is read here, never relayed.
    private static IEnumerable<ILocalMailbox> FeedbackMailboxes(IServiceProvider sp)
    {
        var options = Options(sp);
        if (options.Feedback.Addresses is { Length: > 0 })
        {
            yield return NewFeedbackHandler(sp, sp.GetRequiredService<IFeedbackReview>());
        }

        if (options.UsesReturnPaths())
        {
            // Its own handler: the reports it reads are limited to the tag's recipient, and it accepts no feedback address.
            yield return new ReturnPathMailbox(
                sp.GetRequiredService<ReturnPathTagCodec>(),
                [.. options.Tenants.Select(tenant => tenant.ReturnPathDomain).Append(options.Feedback.ReturnPathDomain).OfType<string>().Where(domain => domain.Trim().Length > 0)],
                NewFeedbackHandler(sp, review: null),
                sp.GetRequiredService<AddressVariantRules>(),
                options.Tenants,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IMessageRelay>(),
                sp.GetRequiredService<ILogger<ReturnPathMailbox>>());
        }
    }

    private static FeedbackHandler NewFeedbackHandler(IServiceProvider sp, IFeedbackReview? review) => new(
        Options(sp).Feedback,
        sp.GetRequiredService<ISuppressionStore>(),
        sp.GetRequiredService<IFeedbackStore>(),
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILogger<FeedbackHandler>>(),
        sp.GetRequiredService<UnsubscribeTokenCodec>(),
        sp.GetRequiredService<AddressVariantRules>(),
        review);

    private static SmtpGatewayOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value;
}
