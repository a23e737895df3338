using Microsoft.Extensions.Options;
using Suppression.Addresses;
using Suppression.Configuration;
using Suppression.Gateway.Access;
using Suppression.Gateway.Audit;
using Suppression.Gateway.Unsubscribe;
using Suppression.Smtp.Unsubscribe;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Configuration;

/// <summary>Each bad key of the host's own sections is one line naming it, before anything starts listening.</summary>
public sealed class GatewayOptionsValidation : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        problems.Check(!string.IsNullOrWhiteSpace(options.DataDirectory), "Suppression:DataDirectory", "must not be empty");
        problems.Check(Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) && baseUrl.Scheme is "http" or "https",
            "Suppression:PublicBaseUrl", $"'{options.PublicBaseUrl}' is not an absolute http(s) URL");
        CheckApiKeys(options.Admin.ApiKeys, "Suppression:Admin:ApiKeys", problems);
        CheckApiKeys(options.Compliance.ApiKeys, "Suppression:Compliance:ApiKeys", problems);
        CheckApiKeys(options.Metrics.ApiKeys, "Suppression:Metrics:ApiKeys", problems);
        problems.Check(options.Metrics.Prometheus || options.Metrics.ApiKeys is not { Length: > 0 }, "Suppression:Metrics:ApiKeys",
            "is set but Suppression:Metrics:Prometheus is false: there is no /metrics endpoint to protect");

        // TokenKeyRing's errors name the entry (Suppression:Tokens:Keys:N) and never quote the secret.
        if (options.Tokens.Keys is { Length: > 0 } tokenKeys && !TokenKeyRing.TryParse(tokenKeys, out _, out var tokenKeyError))
        {
            problems.AddLine(tokenKeyError);
        }

        problems.Check(options.Tokens.Lifetime >= UnsubscribeTokenCodec.MinimumLifetime, "Suppression:Tokens:Lifetime",
            "must be at least 30.00:00:00 (CAN-SPAM requires the opt-out to work for 30 days after sending)");
        ValidateUnsubscribe(options.Unsubscribe, problems);
        problems.Check(AddressVariantRules.AreValidSubaddressSeparators(options.Addresses?.TagDelimiters, out var delimiterError),
            "Suppression:Addresses:TagDelimiters", delimiterError);
        if (options.Audit.Key is not null)
        {
            // The message never quotes the secret.
            problems.Check(AuditOptions.TryParseKey(options.Audit.Key, out _), "Suppression:Audit:Key", "must be base64 of at least 32 bytes (e.g. openssl rand -base64 32)");
        }

        problems.Check(options.Audit.BlockedRetention >= TimeSpan.FromDays(1), "Suppression:Audit:BlockedRetention", "must be at least 1.00:00:00");
        problems.Check(options.Audit.RetentionInterval >= TimeSpan.FromMinutes(1), "Suppression:Audit:RetentionInterval", "must be at least 00:01:00");
        foreach (var proxy in options.Http.KnownProxies ?? [])
        {
            problems.Check(HttpOptions.TryParseProxy(proxy, out _), "Suppression:Http:KnownProxies", $"'{proxy}' is not an IP address (use KnownNetworks for a range)");
        }

        foreach (var network in options.Http.KnownNetworks ?? [])
        {
            problems.Check(HttpOptions.TryParseNetwork(network, out _), "Suppression:Http:KnownNetworks", $"'{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)");
        }

        problems.Check(options.Console.SignInFailuresPerMinute >= 1, "Suppression:Console:SignInFailuresPerMinute", "must be at least 1");
        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }

    private static void CheckApiKeys(string[]? keys, string key, ConfigurationProblems problems)
    {
        foreach (var apiKey in keys ?? [])
        {
            problems.Check(ApiKeyDigest.TryCreate(apiKey, out _), key, "each key must be at least 16 characters, or sha256:<64 hex digits>");
        }
    }

    private static void ValidateUnsubscribe(UnsubscribeOptions unsubscribe, ConfigurationProblems problems)
    {
        problems.Check(unsubscribe.RequestsPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerMinute", "must be at least 1");
        problems.Check(unsubscribe.RequestsPerLinkPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerLinkPerMinute", "must be at least 1");
        problems.Check(unsubscribe.RequestsPerRecipientPerMinute >= 1, "Suppression:Unsubscribe:RequestsPerRecipientPerMinute", "must be at least 1");
        if (!string.IsNullOrEmpty(unsubscribe.MailtoAddress))
        {
            problems.Check(ListUnsubscribeStamper.IsValidMailtoAddress(unsubscribe.MailtoAddress.Trim()), "Suppression:Unsubscribe:MailtoAddress",
                $"'{unsubscribe.MailtoAddress}' must be a plain ASCII address (letters, digits, '.', '-', '_', '+', one '@'), or empty for no mailto link");
        }

        problems.Check(unsubscribe.OrganizationName is null || SenderCatalogue.IsDisplayableName(unsubscribe.OrganizationName), "Suppression:Unsubscribe:OrganizationName",
            "must be 1-100 characters without control characters");
        problems.Check(Enum.IsDefined(unsubscribe.SenderHeaders), "Suppression:Unsubscribe:SenderHeaders", "must be Replace or KeepIfPresent");
        problems.Check(unsubscribe.UndoWindow >= TimeSpan.Zero && unsubscribe.UndoWindow <= TimeSpan.FromDays(1), "Suppression:Unsubscribe:UndoWindow",
            "must be between 00:00:00 (no undo) and 1.00:00:00");
    }
}
