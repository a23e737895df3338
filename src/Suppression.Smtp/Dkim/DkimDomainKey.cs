using System.Security.Cryptography;

namespace Suppression.Smtp.Dkim;

/// <summary>One signing domain: its <c>d=</c> and <c>s=</c>, its key, and the tenants whose mail it signs.</summary>
internal sealed class DkimDomainKey : IDisposable
{
    // .NET does not promise that one RSA instance may sign on several threads at once, so each
    // thread that signs gets its own copy of the key.
    private readonly ThreadLocal<RSA> _keys;
    private readonly HashSet<string> _tenants;

    public DkimDomainKey(string domain, string selector, RSAParameters key, IEnumerable<string> tenants)
    {
        Domain = domain;
        Selector = selector;
        _tenants = tenants.ToHashSet(StringComparer.Ordinal);
        _keys = new ThreadLocal<RSA>(() => RSA.Create(key), trackAllValues: true);
    }

    /// <summary>The A-label form, lower case (<see cref="DkimDomain"/>).</summary>
    public string Domain { get; }

    public string Selector { get; }

    /// <summary>No tenants: the key signs mail of no tenant only.</summary>
    public bool Signs(string? tenant) => tenant is null ? _tenants.Count == 0 : _tenants.Contains(tenant);

    /// <summary>RFC 6376 3.3.1: rsa-sha256, RSASSA-PKCS1-v1_5 over the SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        var signer = new OpenSslRsaSha256Signer(_keys.Value!);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Dispose();
    }
}
