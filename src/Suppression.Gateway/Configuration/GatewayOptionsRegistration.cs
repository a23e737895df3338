using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Configuration;

/// <summary>The host's options: its sections of <c>Suppression</c>, and the SMTP listen address it binds.</summary>
public static class GatewayOptionsRegistration
{
    public static IServiceCollection AddGatewayOptions(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<Uri> httpUrls)
    {
        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .PostConfigure(options => DefaultPublicBaseUrl(options, configuration, httpUrls))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidation>();
        services.AddSingleton<IValidateOptions<SmtpGatewayOptions>, SmtpListenValidation>();
        services.AddSingleton<IValidateOptions<SmtpGatewayOptions>, TenantApiKeyValidation>();
        services.AddSingleton<IValidateOptions<SmtpGatewayOptions>, TenantCatalogueValidation>();
        return services;
    }

    // Unset, unsubscribe links point where this process listens, so a gateway started on another
    // port than the default hands out links that work; production sets its https address.
    private static void DefaultPublicBaseUrl(GatewayOptions options, IConfiguration configuration, IReadOnlyList<Uri> httpUrls)
    {
        if (configuration[GatewayOptions.SectionName + ":PublicBaseUrl"] is null && httpUrls.Count > 0)
        {
            options.PublicBaseUrl = LocalBaseUrl(httpUrls[0]);
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
}
