using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Suppression.Unsubscribe;

/// <summary>
/// One AES-256 key of the token key ring. The one-byte id travels in clear in every token so
/// decryption picks the key directly. Configuration form: <c>&lt;id&gt;:&lt;base64 of 32 bytes&gt;</c>
/// with id 0-255; a bare base64 key has id 0.
/// </summary>
public sealed class TokenKey
{
    public const int SizeInBytes = 32;

    private readonly byte[] _material;

    public TokenKey(byte id, ReadOnlySpan<byte> material)
    {
        if (material.Length != SizeInBytes)
        {
            throw new ArgumentException($"A token key is {SizeInBytes} bytes, not {material.Length}.", nameof(material));
        }

        Id = id;
        _material = material.ToArray();
    }

    public byte Id { get; }

    public ReadOnlySpan<byte> Material => _material;

    public static TokenKey Generate(byte id = 0)
    {
        Span<byte> material = stackalloc byte[SizeInBytes];
        RandomNumberGenerator.Fill(material);
        var key = new TokenKey(id, material);
        CryptographicOperations.ZeroMemory(material);
        return key;
    }

    // Error messages never quote the entry: it is a secret.
    public static bool TryParse(string? text, [NotNullWhen(true)] out TokenKey? key, out string error)
    {
        key = null;
        var entry = text?.Trim();
        if (string.IsNullOrEmpty(entry))
        {
            error = "is empty; expected '<id>:<base64 of 32 bytes>'.";
            return false;
        }

        byte id = 0;
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var idText = entry[..colon].Trim();
            if (idText.Length is 0 or > 3 || !idText.All(char.IsAsciiDigit)
                || !byte.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                error = "has a key id before ':' that is not a whole number from 0 to 255.";
                return false;
            }

            entry = entry[(colon + 1)..].Trim();
        }

        byte[] material;
        try
        {
            material = Convert.FromBase64String(entry);
        }
        catch (FormatException)
        {
            error = "is not valid base64 after the key id.";
            return false;
        }

        try
        {
            if (material.Length != SizeInBytes)
            {
                error = $"decodes to {material.Length} bytes; an AES-256 key is {SizeInBytes} bytes (for example `openssl rand -base64 32`).";
                return false;
            }

            key = new TokenKey(id, material);
            error = string.Empty;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    public string ToConfigurationString() =>
        Id.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToBase64String(_material);

    public override string ToString() => "token key " + Id.ToString(CultureInfo.InvariantCulture);
}
