using System.Net;
using Microsoft.Extensions.Options;
using Suppression.Configuration;

namespace Suppression.Gateway.Webhooks;

/// <summary>Each bad key of <c>Suppression:Webhooks</c> is one line naming it; no line quotes a secret.</summary>
public sealed class WebhookOptionsValidation : IValidateOptions<WebhookOptions>
{
    private const string Section = "Suppression:Webhooks:Endpoints";

    // More in flight to one receiver would be a flood, not delivery.
    private const int MaximumConcurrency = 64;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ConfigurationProblems();
        var webhooks = options.Webhooks;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < webhooks.Endpoints.Length; index++)
        {
            var endpoint = webhooks.Endpoints[index];
            var key = $"{Section}:{index}";
            problems.Check(IsId(endpoint.Id), key + ":Id", $"'{endpoint.Id}' must be lower-case letters, digits and '-' (at most 64)");
            problems.Check(!IsId(endpoint.Id) || ids.Add(endpoint.Id), key + ":Id", $"'{endpoint.Id}' is the id of an earlier endpoint");
            problems.Check(UrlProblem(endpoint.Url, webhooks.AllowPrivateNetworks) is null, key + ":Url", UrlProblem(endpoint.Url, webhooks.AllowPrivateNetworks) ?? "");
            problems.Check(WebhookSecret.TryParseKeys(endpoint.Secret, out _), key + ":Secret",
                $"must be {WebhookSecret.Prefix} + base64 of {WebhookSecret.MinimumBytes} to {WebhookSecret.MaximumBytes} bytes, several separated by spaces during a rotation");
            foreach (var type in endpoint.Events.Where(type => !KnownWebhookEvents.All.Contains(type)))
            {
                problems.Add(key + ":Events", $"'{type}' is not an event type ({string.Join(", ", KnownWebhookEvents.All)})");
            }

            problems.Check(endpoint.Tenants.All(tenant => !string.IsNullOrWhiteSpace(tenant)), key + ":Tenants", "must not hold an empty tenant id");
            problems.Check(endpoint.Concurrency is >= 1 and <= MaximumConcurrency, key + ":Concurrency", $"{endpoint.Concurrency} must be 1 to {MaximumConcurrency}");
        }

        return problems.Lines.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Lines);
    }

    private static bool IsId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static string? UrlProblem(string? url, bool allowPrivateNetworks)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return $"'{url}' is not an absolute https URL";
        }

        if (uri.UserInfo.Length > 0)
        {
            // The URL is shown in the API; a password belongs in the receiver's checking of the signature.
            return "must not hold a user name or password";
        }

        if (allowPrivateNetworks)
        {
            return null;
        }

        if (uri.Scheme != "https")
        {
            return $"'{uri.GetLeftPart(UriPartial.Authority)}' must be https (http only with Suppression:Webhooks:AllowPrivateNetworks, for local testing)";
        }

        return uri.IsLoopback || IPAddress.TryParse(uri.DnsSafeHost, out var address) && PrivateNetworks.Contains(address)
            ? $"'{uri.Host}' is a loopback or private address (allowed only with Suppression:Webhooks:AllowPrivateNetworks)"
            : null;
    }
}
