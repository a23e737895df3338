using System.CommandLine;
using Suppression.Cli.Gateway;

namespace Suppression.Cli.Commands;

/// <summary>
/// --url and --api-key, on the root and inherited by every command. Neither has a default value
/// factory: help would print the key from the environment. They are resolved when a command runs.
/// </summary>
internal sealed class GatewayOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The gateway's HTTP address [default: ${GatewayConnection.UrlVariable}, else {GatewayConnection.DefaultUrl}]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"An admin API key (a compliance key can read) [default: ${GatewayConnection.ApiKeyVariable}]; required",
        HelpName = "key",
        Recursive = true,
    };
}
