using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Suppression.Gateway.Hosting;

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
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(dataDirectory);
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, options))
        {
            writer.Write(key);
        }

        logger.LogWarning("No Suppression:Admin:ApiKeys configured: generated an admin API key in {Path}. Configure keys explicitly in production", path);
        return key;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
