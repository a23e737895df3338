using Microsoft.Extensions.Options;
using Suppression.Gateway.Hosting;
using Suppression.Gateway.Webhooks;
using Suppression.Redis.Hosting;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Configuration;

/// <summary>
/// The configuration, checked before anything is wired or written: every project's options bound
/// and validated by their own types, one line per problem (docs/design.md, configuration). What the
/// host needs to decide its wiring (where to listen, which optional parts run) is read from here.
/// </summary>
public sealed record GatewayConfiguration(GatewayOptions Gateway, SmtpGatewayOptions Smtp, IReadOnlyList<Uri> HttpUrls)
{
    /// <summary>Whether the delivery runs (endpoints configured).</summary>
    public WebhookDeliveryOptions Webhooks { get; init; } = new();

    /// <exception cref="GatewayConfigurationException">One line per bad key.</exception>
    public static GatewayConfiguration Read(IConfiguration configuration)
    {
        // Misspelt keys alone: the values beside them may be meant for the key that was missed.
        var unknown = UnknownConfigurationKeys.Find(
            configuration.GetSection(GatewayOptions.SectionName), typeof(GatewayOptions), typeof(SmtpGatewayOptions), typeof(SuppressionRedisOptions), typeof(WebhookOptions));
        if (unknown.Count > 0)
        {
            throw new GatewayConfigurationException(unknown);
        }

        var errors = new List<string>();
        var httpUrls = ListenAddress.ParseUrls(configuration[WebHostDefaults.ServerUrlsKey], errors);

        // The same registrations the host makes, in a container of their own: validated before the
        // host's wiring reads a value or writes a file.
        using var options = new ServiceCollection()
            .AddGatewayOptions(configuration, httpUrls)
            .AddSmtpGatewayOptions(configuration)
            .AddSuppressionRedisOptions(configuration)
            .AddWebhookOptions(configuration)
            .BuildServiceProvider();
        try
        {
            options.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException exception)
        {
            errors.AddRange(exception.Failures);
        }
        catch (AggregateException exception)
        {
            errors.AddRange(exception.InnerExceptions.OfType<OptionsValidationException>().SelectMany(failure => failure.Failures));
        }
        catch (InvalidOperationException exception)
        {
            // A value the binder cannot convert; its message names the key ("... at 'Suppression:Smtp:Port' ...").
            throw new GatewayConfigurationException([ConversionError(exception)]);
        }

        // Only once each section reads well: the check compares keys across the host's and the tenants' sections.
        if (errors.Count == 0)
        {
            errors.AddRange(ApiKeyUniqueness.Find(options.GetRequiredService<IOptions<GatewayOptions>>().Value, options.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value));
        }

        // ASP.NET Core's switch believes X-Forwarded-For from anyone who reaches the port.
        if (string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("ASPNETCORE_FORWARDEDHEADERS_ENABLED: believes X-Forwarded-For from any client; remove it and list the proxies in Suppression:Http:KnownProxies or Suppression:Http:KnownNetworks");
        }

        return errors.Count > 0
            ? throw new GatewayConfigurationException(errors)
            : new GatewayConfiguration(
                options.GetRequiredService<IOptions<GatewayOptions>>().Value, options.GetRequiredService<IOptions<SmtpGatewayOptions>>().Value, httpUrls)
            {
                Webhooks = options.GetRequiredService<IOptions<WebhookOptions>>().Value.Webhooks,
            };
    }

    private static string ConversionError(InvalidOperationException exception)
    {
        var message = exception.InnerException is FormatException or OverflowException
            ? $"{exception.Message} ({exception.InnerException.Message})"
            : exception.Message;
        return message.ReplaceLineEndings(" ");
    }
}
