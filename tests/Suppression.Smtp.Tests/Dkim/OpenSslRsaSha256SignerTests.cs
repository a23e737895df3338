using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Suppression.Smtp.Dkim;

namespace Suppression.Smtp.Tests.Dkim;

public sealed class OpenSslRsaSha256SignerTests
{
    [Fact]
    public void Signs_exactly_as_bouncycastle_does_so_verifiers_see_no_difference()
    {
        // RSASSA-PKCS1-v1_5 is deterministic: the same key and data give the same bytes.
        using var rsa = RSA.Create(2048);
        var data = Encoding.ASCII.GetBytes("from:Shop <news@shop.example>\r\nlist-unsubscribe:<https://u.example/u/abc>\r\ndkim-signature:v=1; a=rsa-sha256; b=");
        var reference = new RsaDigestSigner(new Sha256Digest());
        reference.Init(true, DotNetUtilities.GetRsaKeyPair(rsa).Private);
        reference.BlockUpdate(data, 0, data.Length);

        var signer = new OpenSslRsaSha256Signer(rsa);
        signer.Update(data[0]);
        signer.BlockUpdate(data, 1, 10);
        signer.BlockUpdate(data.AsSpan(11));

        Assert.Equal(reference.GenerateSignature(), signer.GenerateSignature());
    }

    [Fact]
    public void Reset_starts_a_new_signature()
    {
        using var rsa = RSA.Create(2048);
        var signer = new OpenSslRsaSha256Signer(rsa);
        signer.BlockUpdate("stale"u8);
        signer.Reset();
        signer.BlockUpdate("fresh"u8);

        var signature = signer.GenerateSignature();

        Assert.True(rsa.VerifyData("fresh"u8, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
