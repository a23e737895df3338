using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Delivery;
using Suppression.Gateway.Apis;
using Suppression.Gateway.Configuration;
using Suppression.Gateway.Console;
using Suppression.Gateway.Feedback;
using Suppression.Gateway.Storage;
using Suppression.Feedback;
using Suppression.Redis.Audit;
using Suppression.Redis.Feedback;
using Suppression.Smtp.Feedback;
using Suppression.Smtp.Logins;
using Suppression.Redis.Delivery;
using Suppression.Redis.Layout;
using Suppression.Redis.Resilience;
using Suppression.Redis.Suppressions;
using Suppression.ReturnPath;
using Suppression.Secrets;
using Suppression.Smtp.Messages;
using Suppression.Smtp.Messages.Dkim;
using Suppression.Smtp.Messages.Dsn;
using Suppression.Smtp.Messages.ReturnPath;
using Suppression.Smtp.Messages.Unsubscribe;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Server;
using Suppression.Smtp.Tenants;
using Suppression.Suppressions;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Hosting;

/// <summary>Builds the one process that runs the SMTP listener and the HTTP endpoints.</summary>
public static partial class GatewayHost
{
    /// <param name="time">The clock every part reads; a test's own, or the system's.</param>
    public static WebApplication Build(string[] args, TimeProvider? time = null)
    {
        // appsettings.json ships next to the binary; the data directory stays relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = BindAndValidate(builder.Configuration, out var httpUrls);
        CreateDataDirectory(options.FullDataDirectory);
        var certificate = SmtpCertificateLoader.Load(options.Smtp);

        // "urls" is read above and bound below; left in place, Kestrel would warn that the code
        // overrides it. Not emptied: the host falls back from an empty "urls" to the value it
        // captured at start (--urls, ASPNETCORE_URLS) and warns all the same. ";" lists no address.
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = ";";
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(new IPEndPoint(ListenAddress.Parse(options.Smtp.Address), options.Smtp.Port), listen => listen.UseConnectionHandler<SmtpConnectionHandler>());
            foreach (var url in httpUrls)
            {
                kestrel.Listen(new IPEndPoint(ListenAddress.Parse(url.Host), url.Port));
            }
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Smtp);
        services.AddSingleton(options.Upstream);
        services.AddSingleton(time ?? TimeProvider.System);
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ApiErrors.Describe);
        // One set of address rules for every key derived from an address: lookups, writes, audit hashes.
        var addressRules = AddressVariantRules.Default.WithDefaultSubaddressSeparators(options.Addresses.TagDelimiters);
        services.AddSingleton(addressRules);
        services.AddSingleton(new RedisKeyLayout(options.RedisKeyPrefix, addressRules));
        services.AddSingleton(sp => new SuppressionStorage(options.Redis, options.FullDataDirectory, sp.GetRequiredService<RedisKeyLayout>(), options.NewStoreFormat, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<SuppressionStorage>());
        services.AddSingleton(sp => sp.GetRequiredService<SuppressionStorage>().Connection);
        services.AddSingleton(sp => AuditKeyFile.Load(options.Audit, options.FullDataDirectory, addressRules, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditKeyFile))));
        services.AddSingleton(sp => new RedisResilience(options.RedisResilience, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<AuditChainWriter>();
        services.AddSingleton<ISuppressionStore, RedisSuppressionStore>();
        services.AddSingleton<IBlockedDeliveryLog, RedisBlockedDeliveryLog>();
        services.AddSingleton<IAuditTrail, RedisAuditTrail>();
        services.AddSingleton<IErasure, RedisErasure>();
        services.AddSingleton<ISuppressionList, RedisSuppressionList>();
        services.AddSingleton<RedisAuditRetention>();
        services.AddSingleton<RedisStorageUpgrade>();
        services.AddHostedService(sp => new AuditRetentionService(
            sp.GetRequiredService<RedisAuditRetention>, options.Audit, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditRetentionService>>()));
        services.AddSingleton<IFeedbackStore, RedisFeedbackStore>();
        services.AddSingleton<IFeedbackReview>(sp => new RedisFeedbackReview(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), sp.GetRequiredService<AuditChainWriter>(),
            sp.GetRequiredService<TimeProvider>(), options.Feedback.ReviewRetention));
        services.AddSingleton<FeedbackReviewDecisions>();
        services.AddSingleton(sp => new UnsubscribeActions(sp.GetRequiredService<ISuppressionStore>(), options.Unsubscribe.UndoWindow));
        services.AddSingleton<IRecipientPolicy>(sp => new SuppressionRecipientPolicy(
            sp.GetRequiredService<ISuppressionStore>(), options.Smtp.BlockedRecipient, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SuppressionRecipientPolicy>>()));
        services.AddSingleton<IMessageRelay>(sp => string.IsNullOrWhiteSpace(options.Upstream.Host)
            ? new PickupDirectoryRelay(options.Upstream.PickupDirectory ?? Path.Combine(options.FullDataDirectory, "outbox"), sp.GetRequiredService<TimeProvider>())
            : new UpstreamSmtpRelay(options.Upstream, options.Smtp.Hostname, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UpstreamSmtpRelay>>()));
        services.AddSingleton<IAcceptedCopies>(sp => new RedisAcceptedCopies(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), resilience: sp.GetRequiredService<RedisResilience>()));
        services.AddSingleton(new TenantDirectory(options.Tenants));
        services.AddSingleton(sp => new ReturnPathTagCodec(new ReturnPathKeyRing(sp.GetRequiredService<TokenKeyRing>()), options.Feedback.ReturnPathValidity));
        services.AddSingleton(sp => new RecipientCopyWriter(
            new UnsubscribeStamping(sp.GetRequiredService<UnsubscribeTokenCodec>(), UnsubscribeStamper(options, sp.GetRequiredService<ILogger<ListUnsubscribeStamper>>())),
            options.Dkim.Signers is { Length: > 0 } ? new MessageDkimSigner(options.Dkim) : null,
            UsesReturnPaths(options)
                ? new ReturnPathSigner(sp.GetRequiredService<ReturnPathTagCodec>(), addressRules, options.Feedback.ReturnPathDomain?.Trim().ToLowerInvariant(), sp.GetRequiredService<TenantDirectory>())
                : null,
            sp.GetRequiredService<TenantDirectory>()));
        services.AddSingleton<IRecordedBlockedDeliveries>(sp => new RedisRecordedBlockedDeliveries(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeyLayout>(), resilience: sp.GetRequiredService<RedisResilience>()));
        services.AddSingleton<BlockedDeliveryRecorder>();
        services.AddSingleton<RefusalNotifier>();
        services.AddSingleton<FirstHandBounces>();
        services.AddSingleton<MessageDelivery>();
        if (ValidMailtoAddress(options) is { } mailtoAddress)
        {
            services.AddSingleton<ILocalMailbox>(sp => new MailtoUnsubscribe(
                mailtoAddress,
                sp.GetRequiredService<UnsubscribeTokenCodec>(),
                sp.GetRequiredService<UnsubscribeActions>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<MailtoUnsubscribe>>()));
        }

        if (options.Feedback.Addresses is { Length: > 0 })
        {
            services.AddSingleton<ILocalMailbox>(sp => new FeedbackHandler(
                options.Feedback,
                sp.GetRequiredService<ISuppressionStore>(),
                sp.GetRequiredService<IFeedbackStore>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<FeedbackHandler>>(),
                sp.GetRequiredService<UnsubscribeTokenCodec>(),
                addressRules,
                sp.GetRequiredService<IFeedbackReview>()));
        }

        if (UsesReturnPaths(options))
        {
            // Its own handler: the reports it reads are limited to the tag's recipient, and it accepts no feedback address.
            services.AddSingleton<ILocalMailbox>(sp => new ReturnPathMailbox(
                sp.GetRequiredService<ReturnPathTagCodec>(),
                [.. options.Tenants.Select(tenant => tenant.ReturnPathDomain).Append(options.Feedback.ReturnPathDomain).OfType<string>().Where(domain => domain.Trim().Length > 0)],
                new FeedbackHandler(
                    options.Feedback,
                    sp.GetRequiredService<ISuppressionStore>(),
                    sp.GetRequiredService<IFeedbackStore>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<FeedbackHandler>>(),
                    sp.GetRequiredService<UnsubscribeTokenCodec>(),
                    addressRules),
                addressRules,
                options.Tenants,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IMessageRelay>(),
                sp.GetRequiredService<ILogger<ReturnPathMailbox>>()));
        }

        services.AddSingleton(sp => new LoginFailures(options.Smtp.ToLoginLimits(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new SmtpServerServices(
            options.Smtp,
            sp.GetRequiredService<IRecipientPolicy>(),
            sp.GetRequiredService<MessageDelivery>(),
            sp.GetRequiredService<IBlockedDeliveryLog>(),
            certificate,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            [.. sp.GetServices<ILocalMailbox>()],
            sp.GetRequiredService<TenantDirectory>(),
            new SmtpAuthenticator(options.Tenants, sp.GetRequiredService<TenantDirectory>()),
            sp.GetRequiredService<LoginFailures>()));
        services.AddSingleton(sp => new SmtpConnectionHandler(
            new Lazy<SmtpServerServices>(sp.GetRequiredService<SmtpServerServices>),
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<SmtpConnectionHandler>>()));
        services.AddSingleton(sp => TokenKeys(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenKeyFile))));
        services.AddSingleton(sp => new UnsubscribeTokenCodec(sp.GetRequiredService<TokenKeyRing>(), options.Tokens.Lifetime));
        services.AddUnsubscribeLimits(options.Unsubscribe.RequestsPerLinkPerMinute, options.Unsubscribe.RequestsPerRecipientPerMinute, options.Unsubscribe.RequestsPerMinute);

        services.Configure<ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, options.Http));
        services.AddConsole(options.Console, options.FullDataDirectory);
        services.AddGatewayTelemetry(builder.Configuration, options.Metrics);
        services.AddSingleton(sp => new ApiKeys(AdminKeys(options, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Suppression.Gateway")), ComplianceKeys(options)));
        var app = builder.Build();
        var apiKeys = app.Services.GetRequiredService<ApiKeys>();

        // Resolved now rather than at the first click: a generated key is written at start-up, and an unreadable key file stops it.
        app.Services.GetRequiredService<UnsubscribeTokenCodec>();
        app.Services.GetRequiredService<AuditKey>();

        // Likewise the stamping and DKIM set-up, so its warnings (an http base URL) come at start-up.
        app.Services.GetRequiredService<RecipientCopyWriter>();
        if (options.Http.HasProxies)
        {
            // First, so everything after (limits, audit records, the console's Secure cookies) sees the client and scheme.
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ApiErrors.StatusCodeFor,

            // A client's unreadable body is not a server fault, nor is Redis being down (ApiErrors
            // logs that as one warning line): no error log with a stack trace for either.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || ApiErrors.IsStoreUnavailable(context.Exception),
        });
        app.UseStatusCodePages();
        app.UseConsole();
        app.MapHealth();
        app.MapUnsubscribe();
        app.MapGroup("/api/v1")
            .AddEndpointFilter(new ApiKeyFilter(apiKeys))
            .MapSuppressionsApiV1()
            .MapSuppressionListApiV1()
            .MapAuditApiV1()
            .MapStorageApiV1()
            .MapSmtpLockoutsApiV1()
            .MapFeedbackReviewApiV1();
        app.MapConsole();
        app.MapMetrics(options.Metrics, Digests(options.Metrics.ApiKeys ?? [], "Suppression:Metrics:ApiKeys"));
        if (options.Tenants.Any(tenant => tenant.SmtpUsers is { Length: > 0 }) && certificate is null && !options.Smtp.AllowPlaintextAuth)
        {
            // Not an error (the users may be staged ahead of the certificate), but nobody can log in yet.
            app.Logger.LogWarning(
                "SMTP users are configured but AUTH is only offered after STARTTLS and no certificate is set (Suppression:Smtp:CertificatePath): nobody can log in");
        }

        for (var i = 0; i < options.Dkim.Signers.Length; i++)
        {
            if (options.Tenants.Length > 0 && options.Dkim.Signers[i].Tenants is not { Length: > 0 })
            {
                // Not an error (the operator's own untenanted mail may use it), but tenants' mail from
                // that domain now goes unsigned, which its DMARC reports will show.
                app.Logger.LogWarning(
                    "Suppression:Dkim:Signers:{Index} ({Domain}) has no Tenants: it signs only mail relayed for no tenant; list the tenants whose mail it signs in its Tenants key",
                    i, options.Dkim.Signers[i].Domain);
            }
        }

        if (options.Feedback.Unauthenticated == UnauthenticatedFeedback.Act && options.Feedback.Addresses is { Length: > 0 })
        {
            app.Logger.LogWarning(
                "Suppression:Feedback:Unauthenticated is Act: any bounce or complaint mailed to a feedback address suppresses the addresses it names, so anyone can suppress anyone; set it to Review to hold such reports for a person");
        }

        if (SpoolDirectoryProblem(Path.GetTempPath()) is { } problem)
        {
            // Not fatal: messages up to MemoryBufferBytes still flow. With a read-only root
            // filesystem (deploy/) this is a missing writable /tmp mount.
            app.Logger.LogWarning(
                "The temporary directory {Directory} is not writable ({Problem}): messages over Suppression:Smtp:MemoryBufferBytes will be deferred (451 4.3.1). Mount a writable directory there or set TMPDIR",
                Path.GetTempPath(), problem);
        }

        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
            "Suppression Gateway ready: SMTP on {SmtpAddress}:{SmtpPort}, HTTP on {HttpUrls}",
            options.Smtp.Address, options.Smtp.Port, string.Join(", ", httpUrls.Select(url => url.GetLeftPart(UriPartial.Authority)))));
        return app;
    }

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

    private static string? SpoolDirectoryProblem(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, "suppression-spool-probe-" + Guid.NewGuid().ToString("N") + ".tmp");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }

    private static GatewayOptions BindAndValidate(ConfigurationManager configuration, out List<Uri> httpUrls)
    {
        var options = new GatewayOptions();
        try
        {
            // Unknown keys are errors: a misspelt key silently keeping its default is how an open relay happens.
            configuration.GetSection(GatewayOptions.SectionName).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException exception)
        {
            throw new GatewayConfigurationException([BindingError(exception)]);
        }

        var errors = new List<string>();
        httpUrls = ListenAddress.ParseUrls(configuration[WebHostDefaults.ServerUrlsKey], errors);

        // Unset, unsubscribe links point where this process listens, so a gateway started on another
        // port than the default hands out links that work; production sets its https address.
        if (configuration[GatewayOptions.SectionName + ":PublicBaseUrl"] is null && httpUrls.Count > 0)
        {
            options.PublicBaseUrl = LocalBaseUrl(httpUrls[0]);
        }

        errors.AddRange(ConfigurationValidation.Validate(options));

        // ASP.NET Core's switch believes X-Forwarded-For from anyone who reaches the port.
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED: believes X-Forwarded-For from any client; remove it and list the proxies in Suppression:Http:KnownProxies or Suppression:Http:KnownNetworks");
        }

        return errors.Count == 0 ? options : throw new GatewayConfigurationException(errors);
    }

    // Before anything writes there (the pickup directory, the keys, the embedded store): what it
    // holds is the operator's secret, so a new one is the owner's only.
    private static void CreateDataDirectory(string path)
    {
        try
        {
            OwnerOnlyFile.CreateDirectory(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException([$"Suppression:DataDirectory: cannot create {path}: {exception.Message}"]);
        }
    }

    // A wildcard address is where the gateway listens, not an address to visit: loopback instead.
    private static string LocalBaseUrl(Uri listen)
    {
        var host = listen.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(listen.Host.Trim('[', ']'), out var address)
            && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            ? "127.0.0.1"
            : listen.Host;
        return $"{listen.Scheme}://{host}:{listen.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static string BindingError(InvalidOperationException exception)
    {
        // Conversion errors name the key already ("Failed to convert configuration value at
        // 'Suppression:Smtp:Port'..."); unknown keys are reported by type, so name them as keys.
        // Inside an array (Suppression:Dkim:Signers:N) the binder wraps the unknown-key error in a general one.
        var unknown = Causes(exception).Select(cause => UnknownKeyPattern().Match(cause.Message)).FirstOrDefault(match => match.Success);
        if (unknown is not null)
        {
            var section = SectionOf(unknown.Groups["type"].Value);
            var keys = unknown.Groups["keys"].Value.Split(", ").Select(key => section + ":" + key.Trim('\''));
            return string.Join(", ", keys) + ": unknown configuration key (misspelt?)";
        }

        var message = exception.InnerException is FormatException or OverflowException
            ? $"{exception.Message} ({exception.InnerException.Message})"
            : exception.Message;
        return message.ReplaceLineEndings(" ");
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }

    private static string SectionOf(string typeName) => typeName switch
    {
        _ when typeName.EndsWith(nameof(SmtpServerOptions), StringComparison.Ordinal) => "Suppression:Smtp",
        _ when typeName.EndsWith(nameof(UpstreamOptions), StringComparison.Ordinal) => "Suppression:Upstream",
        _ when typeName.EndsWith(nameof(AdminOptions), StringComparison.Ordinal) => "Suppression:Admin",
        _ when typeName.EndsWith(nameof(ComplianceOptions), StringComparison.Ordinal) => "Suppression:Compliance",
        _ when typeName.EndsWith(nameof(TokenOptions), StringComparison.Ordinal) => "Suppression:Tokens",
        _ when typeName.EndsWith(nameof(UnsubscribeOptions), StringComparison.Ordinal) => "Suppression:Unsubscribe",
        _ when typeName.EndsWith(nameof(DkimSignerOptions), StringComparison.Ordinal) => "Suppression:Dkim:Signers:N",
        _ when typeName.EndsWith(nameof(TenantOptions), StringComparison.Ordinal) => "Suppression:Tenants:N",
        _ when typeName.EndsWith(nameof(FeedbackOptions), StringComparison.Ordinal) => "Suppression:Feedback",
        _ when typeName.EndsWith(nameof(SmtpUserOptions), StringComparison.Ordinal) => "Suppression:Tenants:N:SmtpUsers:M",
        _ when typeName.EndsWith(nameof(DkimOptions), StringComparison.Ordinal) => "Suppression:Dkim",
        _ when typeName.EndsWith(nameof(AuditOptions), StringComparison.Ordinal) => "Suppression:Audit",
        _ when typeName.EndsWith(nameof(ConsoleOptions), StringComparison.Ordinal) => "Suppression:Console",
        _ when typeName.EndsWith(nameof(MetricsOptions), StringComparison.Ordinal) => "Suppression:Metrics",
        _ when typeName.EndsWith(nameof(HttpOptions), StringComparison.Ordinal) => "Suppression:Http",
        _ when typeName.EndsWith(nameof(RedisResilienceOptions), StringComparison.Ordinal) => "Suppression:RedisResilience",
        _ when typeName.EndsWith(nameof(AddressOptions), StringComparison.Ordinal) => "Suppression:Addresses",
        _ => GatewayOptions.SectionName,
    };

    [GeneratedRegex(@"not found on the instance of (?<type>[\w.]+): (?<keys>.+)$")]
    private static partial Regex UnknownKeyPattern();

    private static ListUnsubscribeStamper UnsubscribeStamper(GatewayOptions options, ILogger logger)
    {
        var publicBaseUrl = new Uri(options.PublicBaseUrl);
        if (publicBaseUrl.Scheme != Uri.UriSchemeHttps)
        {
            logger.LogWarning("Suppression:PublicBaseUrl is {PublicBaseUrl}: mailbox providers offer one-click unsubscribe only for https links (RFC 8058 3.1)", options.PublicBaseUrl);
        }

        var mailto = ValidMailtoAddress(options);
        if (mailto is null && options.Unsubscribe.EffectiveMailtoAddress(options.Smtp.Hostname) is { } unfit)
        {
            // Only the default can get here (a configured address is validated): a host name unfit for an address.
            logger.LogWarning("No mailto unsubscribe link: '{MailtoAddress}' is not a plain address; set Suppression:Unsubscribe:MailtoAddress", unfit);
        }

        return new ListUnsubscribeStamper(publicBaseUrl, mailto, options.Unsubscribe.SenderHeaders);
    }

    // One answer for the stamped link and the SMTP handler, so the address in the link is the one that works.
    private static string? ValidMailtoAddress(GatewayOptions options) =>
        options.Unsubscribe.EffectiveMailtoAddress(options.Smtp.Hostname) is { } address
        && ListUnsubscribeStamper.IsValidMailtoAddress(address)
        && AddressNormalizer.TryNormalize(address, out _, out _)
            ? address
            : null;

    private static bool UsesReturnPaths(GatewayOptions options) =>
        !string.IsNullOrWhiteSpace(options.Feedback.ReturnPathDomain) || options.Tenants.Any(tenant => !string.IsNullOrWhiteSpace(tenant.ReturnPathDomain));

    private static TokenKeyRing TokenKeys(GatewayOptions options, ILogger logger) =>
        options.Tokens.Keys is { Length: > 0 } keys
            ? TokenKeyRing.Parse(keys)
            : TokenKeyFile.LoadOrCreate(options.FullDataDirectory, logger);

    // None configured means nobody has the role.
    private static List<ApiKeyDigest> ComplianceKeys(GatewayOptions options) => Digests(options.Compliance.ApiKeys ?? [], "Suppression:Compliance:ApiKeys");

    private static List<ApiKeyDigest> AdminKeys(GatewayOptions options, ILogger logger)
    {
        var configured = options.Admin.ApiKeys is { Length: > 0 } keys
            ? keys
            : [AdminKeyFile.LoadOrCreate(options.FullDataDirectory, logger)];
        return Digests(configured, "Suppression:Admin:ApiKeys");
    }

    // ConfigurationValidation has checked configured keys already; a generated key file read back is checked here.
    private static List<ApiKeyDigest> Digests(IEnumerable<string> keys, string configurationKey) =>
        keys.Select(key => ApiKeyDigest.TryCreate(key, out var digest) ? digest : throw new GatewayConfigurationException(
            [$"{configurationKey}: each key must be at least 16 characters, or sha256:<64 hex digits>"])).ToList();
}
