using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Suppression.Smtp.Messages.Dkim;

/// <summary>
/// MimeKit's <see cref="DkimSigner"/> (canonicalization, header selection, the DKIM-Signature field)
/// with the RSA signature itself computed by OpenSSL through .NET (<see cref="OpenSslRsaSha256Signer"/>).
/// </summary>
internal sealed class OpenSslDkimSigner : DkimSigner, IDisposable
{
    // .NET does not promise that one RSA instance may sign on several threads at once, so each
    // thread that signs gets its own copy of the key.
    private readonly ThreadLocal<RSA> _keys;

    public OpenSslDkimSigner(AsymmetricKeyParameter key, RSAParameters parameters, string domain, string selector)
        : base(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        _keys = new ThreadLocal<RSA>(() => RSA.Create(parameters), trackAllValues: true);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Dispose();
    }

    protected override ISigner CreateSigningContext() => new OpenSslRsaSha256Signer(_keys.Value!);
}
