using Microsoft.Extensions.Options;
using Suppression.Configuration;
using Suppression.Gateway.Access;
using Suppression.Smtp.Hosting;

namespace Suppression.Gateway.Configuration;

/// <summary><c>Suppression:Tenants:N:ApiKeys</c> live in the SMTP side's tenant entries, but only the host uses them, so the host checks them.</summary>
public sealed class TenantApiKeyValidation : IValidateOptions<SmtpGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        var tenants = options.Tenants ?? [];
        for (var i = 0; i < tenants.Length; i++)
        {
            foreach (var key in tenants[i]?.ApiKeys ?? [])
            {
                problems.Check(ApiKeyDigest.TryCreate(key ?? string.Empty, out _), $"Suppression:Tenants:{i}:ApiKeys",
                    "each key must be at least 16 characters, or sha256:<64 hex digits>");
            }
        }

        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }
}
