using System.Security.Cryptography;
using System.Text;

namespace Suppression.Gateway.Feedback.Providers;

/// <summary>HTTP Basic authentication (RFC 7617), checked in constant time against configured credentials.</summary>
public static class BasicCredentials
{
    public static bool Match(string? authorization, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        const string Scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromBase64String(authorization[Scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        // Both halves compared whole, the whole pair at once: no early exit tells which half was wrong.
        var expected = Encoding.UTF8.GetBytes(username + ":" + password);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented), SHA256.HashData(expected));
    }
}
