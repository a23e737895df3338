namespace Suppression.Gateway.Audit;

/// <summary>The <c>Suppression:Audit</c> section: the audit trail's key and retention.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Base64 of at least 32 random bytes: keys the chain hashes and the erased addresses' hashes.
    /// None means a key generated once into the data directory. Every instance must share it.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>How long blocked-delivery records are kept; suppression changes are kept until erased.</summary>
    public TimeSpan BlockedRetention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often records past retention are cut.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);

    public static bool TryParseKey(string? text, out byte[] secret)
    {
        secret = [];
        try
        {
            secret = Convert.FromBase64String(text?.Trim() ?? string.Empty);
        }
        catch (FormatException)
        {
            return false;
        }

        return secret.Length >= Suppression.Audit.AuditKey.SecretLength;
    }
}
