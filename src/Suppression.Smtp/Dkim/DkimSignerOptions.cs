namespace Suppression.Smtp.Dkim;

/// <summary><c>Suppression:Dkim:Signers:N</c>: one signing domain, its selector and its key.</summary>
public sealed class DkimSignerOptions
{
    /// <summary>The <c>d=</c> domain; mail whose From domain is exactly this one is signed. U-labels are accepted.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The <c>s=</c> selector; the public key is published at <c>{Selector}._domainkey.{Domain}</c>.</summary>
    public string Selector { get; set; } = string.Empty;

    /// <summary>An unencrypted RSA private key in PEM (PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>).</summary>
    public string PrivateKeyFile { get; set; } = string.Empty;

    /// <summary>
    /// The tenants whose mail this signer signs. Empty: only mail that belongs to no tenant (relayed
    /// by a RelayNetworks client that names none). A signature vouches for the domain, so no client
    /// gets one for a domain its tenant was not given.
    /// </summary>
    public string[] Tenants { get; set; } = [];
}
