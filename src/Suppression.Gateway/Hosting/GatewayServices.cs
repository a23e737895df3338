using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Suppression.Addresses;
using Suppression.Gateway.Access;
using Suppression.Gateway.Apis;
using Suppression.Gateway.Audit;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Console;
using Suppression.Gateway.Feedback;
using Suppression.Gateway.Feedback.Providers;
using Suppression.Gateway.Telemetry;
using Suppression.Gateway.Unsubscribe;
using Suppression.Redis.Hosting;
using Suppression.Smtp.Hosting;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Unsubscribe;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Hosting;

/// <summary>
/// The host's own parts (address rules, secrets, unsubscribe, API keys, console, telemetry) and what
/// it hands the store and the SMTP side from its sections: the data directory, retention, the
/// unsubscribe stamping and the mailto mailbox.
/// </summary>
public static class GatewayServices
{
    public static IServiceCollection AddGatewayServices(this IServiceCollection services, IConfiguration configuration, GatewayConfiguration settings)
    {
        var gateway = settings.Gateway;
        services.AddGatewayOptions(configuration, settings.HttpUrls);
        services.Configure<StoreHostOptions>(store =>
        {
            store.DataDirectory = gateway.FullDataDirectory;
            store.BlockedRetention = gateway.Audit.BlockedRetention;
            store.RetentionInterval = gateway.Audit.RetentionInterval;
            store.FeedbackReviewRetention = settings.Smtp.Feedback.ReviewRetention;
        });
        services.PostConfigure<SmtpGatewayOptions>(smtp => smtp.Upstream.PickupDirectory ??= Path.Combine(gateway.FullDataDirectory, "outbox"));

        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ApiErrors.Describe);
        services.AddApiContract();

        // One set of address rules for every key derived from an address: lookups, writes, audit hashes.
        services.AddSingleton(AddressVariantRules.Default.WithDefaultSubaddressSeparators(gateway.Addresses.TagDelimiters));
        services.AddSingleton(sp => AuditKeyFile.Load(
            Options(sp).Audit, Options(sp).FullDataDirectory, sp.GetRequiredService<AddressVariantRules>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditKeyFile))));
        services.AddSingleton(sp => TokenKeys(Options(sp), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenKeyFile))));
        services.AddSingleton(sp => new UnsubscribeTokenCodec(sp.GetRequiredService<TokenKeyRing>(), Options(sp).Tokens.Lifetime));
        services.AddSingleton(sp => new UnsubscribeActions(sp.GetRequiredService<ISuppressionStore>(), Options(sp).Unsubscribe.UndoWindow));
        services.AddSingleton(sp => new SenderCatalogue(sp.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value.Tenants ?? [], Options(sp).Unsubscribe.OrganizationName));
        services.AddSingleton(sp => new UnsubscribeStamping(sp.GetRequiredService<UnsubscribeTokenCodec>(), UnsubscribeStamper(sp)));
        services.AddUnsubscribeLimits(gateway.Unsubscribe.RequestsPerLinkPerMinute, gateway.Unsubscribe.RequestsPerRecipientPerMinute, gateway.Unsubscribe.RequestsPerMinute);
        if (ValidMailtoAddress(gateway, settings.Smtp) is { } mailtoAddress)
        {
            services.AddSingleton<ILocalMailbox>(sp => new MailtoUnsubscribe(
                mailtoAddress,
                sp.GetRequiredService<UnsubscribeTokenCodec>(),
                sp.GetRequiredService<UnsubscribeActions>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MailtoUnsubscribe>>()));
        }

        services.AddSingleton<FeedbackReviewDecisions>();
        services.AddSingleton<IProviderWebhook, MailgunWebhook>();
        services.AddSingleton<IProviderWebhook, PostmarkWebhook>();
        services.AddSingleton<IProviderWebhook, SendGridWebhook>();
        services.TryAddSingleton<ISnsEndpoints, SnsHttpEndpoints>();
        services.AddSingleton(sp => new ProviderRequestLimits(
            sp.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value.Feedback.ProviderFailuresPerMinute, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IProviderWebhook, SesWebhook>();
        services.Configure<ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, gateway.Http));
        services.AddConsole(gateway.Console, gateway.FullDataDirectory);
        services.AddGatewayTelemetry(configuration, gateway.Metrics);
        services.AddSingleton(sp => new ApiKeys(
            AdminKeys(Options(sp), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminKeyFile))),
            ComplianceKeys(Options(sp)),
            TenantKeys(sp.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value)));
        return services;
    }

    // GatewayOptionsValidation has checked configured keys already; a generated key file read back is checked here.
    public static List<ApiKeyDigest> Digests(IEnumerable<string> keys, string configurationKey) =>
        keys.Select(key => ApiKeyDigest.TryCreate(key, out var digest) ? digest : throw new GatewayConfigurationException(
            [$"{configurationKey}: each key must be at least 16 characters, or sha256:<64 hex digits>"])).ToList();

    // Only the configured proxies, not ASP.NET Core's default of loopback, and every proxy of a chain
    // of them (no ForwardLimit): the client is the last address in X-Forwarded-For that is not one.
    private static void TrustProxies(ForwardedHeadersOptions forwarded, HttpOptions http)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = null;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in http.KnownProxies ?? [])
        {
            forwarded.KnownProxies.Add(HttpOptions.TryParseProxy(proxy, out var address) ? address : throw new FormatException(proxy));
        }

        foreach (var network in http.KnownNetworks ?? [])
        {
            forwarded.KnownIPNetworks.Add(HttpOptions.TryParseNetwork(network, out var parsed) ? parsed : throw new FormatException(network));
        }
    }

    private static ListUnsubscribeStamper UnsubscribeStamper(IServiceProvider sp)
    {
        var (gateway, smtp) = (Options(sp), sp.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value);
        var logger = sp.GetRequiredService<ILogger<ListUnsubscribeStamper>>();
        var publicBaseUrl = new Uri(gateway.PublicBaseUrl);
        if (publicBaseUrl.Scheme != Uri.UriSchemeHttps)
        {
            logger.PublicBaseUrlNotHttps(gateway.PublicBaseUrl);
        }

        var mailto = ValidMailtoAddress(gateway, smtp);
        if (mailto is null && gateway.Unsubscribe.EffectiveMailtoAddress(smtp.Smtp.Hostname) is { } unfit)
        {
            // Only the default can get here (a configured address is validated): a host name unfit for an address.
            logger.MailtoAddressUnfit(unfit);
        }

        return new ListUnsubscribeStamper(publicBaseUrl, mailto, gateway.Unsubscribe.SenderHeaders);
    }

    // One answer for the stamped link and the SMTP handler, so the address in the link is the one that works.
    private static string? ValidMailtoAddress(GatewayOptions gateway, SmtpGatewayOptions smtp) =>
        gateway.Unsubscribe.EffectiveMailtoAddress(smtp.Smtp.Hostname) is { } address
        && ListUnsubscribeStamper.IsValidMailtoAddress(address)
        && AddressNormalizer.TryNormalize(address, out _, out _)
            ? address
            : null;

    private static TokenKeyRing TokenKeys(GatewayOptions options, ILogger logger) =>
        options.Tokens.Keys is { Length: > 0 } keys
            ? TokenKeyRing.Parse(keys)
            : TokenKeyFile.LoadOrCreate(options.FullDataDirectory, logger);

    // None configured means nobody has the role.
    private static List<ApiKeyDigest> ComplianceKeys(GatewayOptions options) => Digests(options.Compliance.ApiKeys ?? [], "Suppression:Compliance:ApiKeys");

    private static List<TenantApiKey> TenantKeys(SmtpGatewayOptions smtp) =>
        (smtp.Tenants ?? []).Select((tenant, i) => (tenant, i))
            .SelectMany(pair => Digests(pair.tenant.ApiKeys ?? [], $"Suppression:Tenants:{pair.i}:ApiKeys").Select(digest => new TenantApiKey(pair.tenant.Id, digest)))
            .ToList();

    private static List<ApiKeyDigest> AdminKeys(GatewayOptions options, ILogger logger)
    {
        var configured = options.Admin.ApiKeys is { Length: > 0 } keys
            ? keys
            : [AdminKeyFile.LoadOrCreate(options.FullDataDirectory, logger)];
        return Digests(configured, "Suppression:Admin:ApiKeys");
    }

    private static GatewayOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<GatewayOptions>>().Value;
}
