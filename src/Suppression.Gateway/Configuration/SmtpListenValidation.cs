using Microsoft.Extensions.Options;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Configuration;

/// <summary><c>Suppression:Smtp:Address</c> is where the host's Kestrel binds the SMTP listener, so the host checks it.</summary>
public sealed class SmtpListenValidation : IValidateOptions<SmtpGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ListenAddress.TryParse(options.Smtp.Address, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Suppression:Smtp:Address: '{options.Smtp.Address}' is not an IP address (use 0.0.0.0 or :: for all interfaces)");
    }
}
