using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Suppression.Smtp.Dkim;

/// <summary>
/// Reads a signer's key with the same code at validation and at start-up, so a key that passed
/// validation is the key that signs.
/// </summary>
internal static class DkimPrivateKey
{
    // RFC 8301 3.2: signers MUST use RSA keys of at least 1024 bits, and SHOULD use 2048.
    private const int MinimumBits = 1024;

    public static bool TryLoad(string? path, out AsymmetricKeyParameter? key, out string problem) =>
        TryLoad(path, out key, out _, out problem);

    /// <param name="parameters">The same key for .NET's RSA (<see cref="DkimDomainKey"/>).</param>
    public static bool TryLoad(string? path, out AsymmetricKeyParameter? key, out RSAParameters parameters, out string problem)
    {
        key = null;
        parameters = default;
        if (string.IsNullOrWhiteSpace(path))
        {
            problem = "must name a PEM file with the RSA private key";
            return false;
        }

        if (!File.Exists(path))
        {
            problem = $"file '{path}' does not exist";
            return false;
        }

        using var rsa = RSA.Create();
        try
        {
            // Takes PKCS#1 "RSA PRIVATE KEY" and unencrypted PKCS#8 "PRIVATE KEY"; anything else throws.
            rsa.ImportFromPem(File.ReadAllText(path));
            key = DotNetUtilities.GetRsaKeyPair(rsa).Private;
            parameters = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            problem = $"file '{path}' is not an RSA private key in PEM (PKCS#1 or unencrypted PKCS#8)";
            return false;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"file '{path}' cannot be read ({exception.Message})";
            return false;
        }

        if (rsa.KeySize < MinimumBits)
        {
            key = null;
            parameters = default;
            problem = $"file '{path}' holds a {rsa.KeySize}-bit RSA key; RFC 8301 requires at least {MinimumBits} bits (2048 recommended)";
            return false;
        }

        problem = string.Empty;
        return true;
    }
}
