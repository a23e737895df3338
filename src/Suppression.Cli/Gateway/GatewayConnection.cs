using Suppression.Cli.Commands;

namespace Suppression.Cli.Gateway;

/// <summary>
/// Which gateway to talk to and with which key: the command line first, then the environment.
/// Not a record, so that no ToString ever prints the key.
/// </summary>
internal sealed class GatewayConnection
{
    public const string UrlVariable = "SUPPRESSION_URL";
    public const string ApiKeyVariable = "SUPPRESSION_API_KEY";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private GatewayConnection(Uri baseAddress, string apiKey)
    {
        BaseAddress = baseAddress;
        ApiKey = apiKey;
    }

    /// <summary>Always ends in '/', so relative API paths resolve under a gateway mounted below the root.</summary>
    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    public static GatewayConnection Resolve(string? url, string? apiKey, Func<string, string?> environment)
    {
        url = FirstNonEmpty(url, environment(UrlVariable)) ?? DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new CommandUsageException($"the gateway URL '{url}' is not an absolute http:// or https:// URL.");
        }

        apiKey = FirstNonEmpty(apiKey, environment(ApiKeyVariable))
            ?? throw new CommandUsageException($"an API key is required: pass --api-key or set {ApiKeyVariable}.");

        if (!baseAddress.AbsolutePath.EndsWith('/'))
        {
            baseAddress = new Uri(baseAddress.GetLeftPart(UriPartial.Path) + "/");
        }

        return new GatewayConnection(baseAddress, apiKey.Trim());
    }

    private static string? FirstNonEmpty(string? first, string? second) =>
        !string.IsNullOrWhiteSpace(first) ? first : !string.IsNullOrWhiteSpace(second) ? second : null;
}
