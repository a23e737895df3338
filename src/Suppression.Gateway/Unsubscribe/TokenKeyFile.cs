using Suppression.Gateway.Hosting;
using Suppression.Secrets;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// With no <c>Suppression:Tokens:Keys</c> configured, a token key is generated once into the data
/// directory (readable by the owner only) and used from then on, so links sent before a restart keep
/// working. The file holds one <c>&lt;id&gt;:&lt;base64&gt;</c> entry per line, like the configuration.
/// </summary>
public static class TokenKeyFile
{
    public const string FileName = "token-keys";

    public static TokenKeyRing LoadOrCreate(string dataDirectory, ILogger logger)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var (text, created) = OwnerOnlyFile.ReadOrCreate(path, () => TokenKey.Generate(id: 1).ToConfigurationString() + Environment.NewLine);
        if (created)
        {
            logger.TokenKeyGenerated(path);
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return TokenKeyRing.TryParse(lines, out var ring, out var error)
            ? ring!
            : throw new GatewayConfigurationException([$"{path}: unreadable token key file ({error.Replace(TokenKeyRing.ConfigurationKey, "entry", StringComparison.Ordinal)}); restore it or configure Suppression:Tokens:Keys"]);
    }
}
