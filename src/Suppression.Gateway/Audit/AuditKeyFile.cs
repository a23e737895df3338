using Suppression.Addresses;
using Suppression.Audit;
using Suppression.Gateway.Hosting;
using Suppression.Secrets;

namespace Suppression.Gateway.Audit;

/// <summary>
/// With no <c>Suppression:Audit:Key</c> configured, a key is generated once into the data directory
/// (readable by the owner only). Losing it loses nothing recorded, but verification fails for every
/// record written with it, and erased addresses can no longer be looked up by hash: back it up.
/// </summary>
public static class AuditKeyFile
{
    public const string FileName = "audit-key";

    public static AuditKey Load(AuditOptions options, string dataDirectory, AddressVariantRules addressRules, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Key is not null && AuditOptions.TryParseKey(options.Key, out var configured))
        {
            return new AuditKey(configured, addressRules);
        }

        var path = Path.Combine(dataDirectory, FileName);
        var (text, created) = OwnerOnlyFile.ReadOrCreate(path, () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(AuditKey.SecretLength)));
        if (created)
        {
            logger.AuditKeyGenerated(path);
        }

        return AuditOptions.TryParseKey(text, out var secret)
            ? new AuditKey(secret, addressRules)
            : throw new GatewayConfigurationException([$"{path}: unreadable audit key file; restore it or configure Suppression:Audit:Key"]);
    }
}
