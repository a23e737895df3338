using System.Security.Cryptography;
using System.Text;

namespace Suppression.ReturnPath;

/// <summary>
/// The tenant and topic of a copy, as the few bytes a return-path tag carries. Not secret (the tag's
/// HMAC authenticates it); the gateway maps it back by digesting its configured tenants and topics.
/// </summary>
public static class ReturnPathContext
{
    public const int DigestSize = 5;

    public static byte[] Digest(string? tenant, string? topic)
    {
        // A NUL cannot occur in either id, so ("a", "bc") and ("ab", "c") differ; a missing value is
        // written as a lone 0x01, which differs from every id, the empty one included.
        var text = (tenant ?? "\u0001") + "\0" + (topic ?? "\u0001");
        return SHA256.HashData(Encoding.UTF8.GetBytes(text))[..DigestSize];
    }
}
