using System.Buffers.Text;
using System.Security.Cryptography;
using Suppression.Gateway.Hosting;
using Suppression.Secrets;

namespace Suppression.Gateway.Access;

/// <summary>
/// With no <c>Suppression:Admin:ApiKeys</c> configured, the API would be unusable; instead a random key
/// is generated once into the data directory (readable by the owner only) and used from then on.
/// </summary>
public static class AdminKeyFile
{
    public const string FileName = "admin-api-key";

    public static string LoadOrCreate(string dataDirectory, ILogger logger)
    {
        var path = Path.Combine(dataDirectory, FileName);
        var (key, created) = OwnerOnlyFile.ReadOrCreate(path, () => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
        if (created)
        {
            logger.AdminKeyGenerated(path);
        }

        return key.Trim();
    }
}
