using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Suppression.Unsubscribe;

namespace Suppression.ReturnPath;

/// <summary>
/// The return-path tag keys: one HMAC-SHA256 key derived with HKDF (RFC 5869) from each token key,
/// under the same id. Rotating the token keys rotates these with them, and a tag key never equals a
/// token key, so a weakness in one use cannot carry over to the other.
/// </summary>
public sealed class ReturnPathKeyRing
{
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("suppression-gateway return-path tag v1");

    private readonly byte[]?[] _byId = new byte[]?[256];

    public ReturnPathKeyRing(TokenKeyRing tokenKeys)
    {
        ArgumentNullException.ThrowIfNull(tokenKeys);
        foreach (var key in tokenKeys.Keys)
        {
            _byId[key.Id] = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material.ToArray(), 32, salt: [], info: Purpose);
        }

        CurrentId = tokenKeys.Current.Id;
    }

    public byte CurrentId { get; }

    public ReadOnlySpan<byte> Current => _byId[CurrentId];

    public bool TryGetKey(byte id, [NotNullWhen(true)] out byte[]? key)
    {
        key = _byId[id];
        return key is not null;
    }
}
