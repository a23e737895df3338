using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Suppression.Unsubscribe;

/// <summary>
/// Writes and reads the token in an unsubscribe link: AES-256-GCM over a compact payload, so the
/// link cannot be forged or altered and reveals nothing about the recipient, as base64url without
/// padding. Layout: version (1 byte), key id (1 byte), nonce (12), ciphertext, tag (16); the version
/// and key id travel in clear and are authenticated as associated data. Version 2 pads the payload
/// to a few fixed sizes (<see cref="UnsubscribeTokenPayload"/>); version 1 links, in mailboxes for
/// the token lifetime, are still read.
/// </summary>
public sealed class UnsubscribeTokenCodec
{
    // CAN-SPAM (15 U.S.C. 7704(a)(3)) requires the opt-out to keep working for 30 days after sending.
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromDays(30);

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(60);

    private const byte UnpaddedVersion = 1;
    private const byte Version = 2;
    private const int HeaderSize = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MinTokenBytes = HeaderSize + NonceSize + UnsubscribeTokenPayload.MinSize + TagSize;
    private const int MaxTokenBytes = HeaderSize + NonceSize + UnsubscribeTokenPayload.MaxSize + TagSize;

    // Anything longer is refused before decoding.
    public const int MaxEncodedLength = ((MaxTokenBytes * 4) + 2) / 3;

    private static readonly SearchValues<char> Base64UrlAlphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // Every relayed copy mints a token, and a new AesGcm sets up an OpenSSL context and key schedule
    // each time; AesGcm is not safe for concurrent use, so each thread keeps one for the key it last
    // encrypted with (TokenKey is immutable, so the reference names the key).
    [ThreadStatic]
    private static Encryptor? t_encryptor;

    private readonly TokenKeyRing _keyRing;

    public UnsubscribeTokenCodec(TokenKeyRing keyRing)
        : this(keyRing, DefaultLifetime)
    {
    }

    public UnsubscribeTokenCodec(TokenKeyRing keyRing, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        if (lifetime < MinimumLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "Unsubscribe tokens must stay valid at least 30 days (CAN-SPAM).");
        }

        _keyRing = keyRing;
        Lifetime = lifetime;
    }

    public TimeSpan Lifetime { get; }

    public string Encode(UnsubscribeToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var plaintextLength = UnsubscribeTokenPayload.PaddedSize(UnsubscribeTokenPayload.Measure(token));
        var key = _keyRing.Current;

        Span<byte> plaintext = stackalloc byte[plaintextLength];
        Span<byte> sealedToken = stackalloc byte[HeaderSize + NonceSize + plaintextLength + TagSize];
        try
        {
            UnsubscribeTokenPayload.Write(token, plaintext);
            sealedToken[0] = Version;
            sealedToken[1] = key.Id;
            var nonce = sealedToken.Slice(HeaderSize, NonceSize);
            RandomNumberGenerator.Fill(nonce);

            EncryptorFor(key).Encrypt(
                nonce,
                plaintext,
                sealedToken.Slice(HeaderSize + NonceSize, plaintextLength),
                sealedToken[^TagSize..],
                sealedToken[..HeaderSize]);
            return Base64Url.EncodeToString(sealedToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static AesGcm EncryptorFor(TokenKey key)
    {
        if (t_encryptor is { } cached && ReferenceEquals(cached.Key, key))
        {
            return cached.Aes;
        }

        t_encryptor?.Aes.Dispose();
        t_encryptor = null;
        var aes = new AesGcm(key.Material, TagSize);
        t_encryptor = new Encryptor(key, aes);
        return aes;
    }

    public bool TryDecode(string? encoded, DateTimeOffset now, [NotNullWhen(true)] out UnsubscribeToken? token, out TokenRejection reason)
    {
        token = null;
        if (string.IsNullOrEmpty(encoded) || encoded.Length > MaxEncodedLength)
        {
            reason = TokenRejection.Malformed;
            return false;
        }

        Span<byte> sealedToken = stackalloc byte[MaxTokenBytes];
        if (!TryDecodeCanonical(encoded, sealedToken, out var length) || length < MinTokenBytes || sealedToken[0] is not (Version or UnpaddedVersion))
        {
            reason = TokenRejection.Malformed;
            return false;
        }

        sealedToken = sealedToken[..length];
        if (!_keyRing.TryGetKey(sealedToken[1], out var key))
        {
            reason = TokenRejection.UnknownKey;
            return false;
        }

        var ciphertext = sealedToken[(HeaderSize + NonceSize)..^TagSize];
        Span<byte> plaintext = stackalloc byte[ciphertext.Length];
        try
        {
            try
            {
                // AesGcm compares the tag in constant time and writes no plaintext when it differs.
                using var aes = new AesGcm(key.Material, TagSize);
                aes.Decrypt(sealedToken.Slice(HeaderSize, NonceSize), ciphertext, sealedToken[^TagSize..], plaintext, sealedToken[..HeaderSize]);
            }
            catch (CryptographicException)
            {
                reason = TokenRejection.Tampered;
                return false;
            }

            if (!UnsubscribeTokenPayload.TryRead(plaintext, padded: sealedToken[0] == Version, out var decoded))
            {
                reason = TokenRejection.Malformed;
                return false;
            }

            if (now - decoded.IssuedAt > Lifetime)
            {
                reason = TokenRejection.Expired;
                return false;
            }

            token = decoded;
            reason = TokenRejection.None;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Seals what the confirmation page's Undo may revert, bound to this link (<see cref="UndoBinding"/>).</summary>
    public string SealUndo(string token, IReadOnlyList<UndoableChange> changes)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(changes);
        return UndoBinding.Seal(_keyRing.Current, token, changes);
    }

    /// <summary>Opens what <see cref="SealUndo"/> sealed for this same link; false for anything else.</summary>
    public bool TryOpenUndo(string token, string? binding, [NotNullWhen(true)] out IReadOnlyList<UndoableChange>? changes)
    {
        ArgumentNullException.ThrowIfNull(token);
        return UndoBinding.TryOpen(_keyRing, token, binding, out changes);
    }

    // Only the exact text Encode writes is accepted: the base64url alphabet (RFC 4648 section 5)
    // without padding or whitespace, and no stray bits in the last character, so one token has
    // exactly one spelling.
    private static bool TryDecodeCanonical(string encoded, Span<byte> destination, out int length)
    {
        length = 0;
        if (encoded.Length % 4 == 1 || encoded.AsSpan().ContainsAnyExcept(Base64UrlAlphabet))
        {
            return false;
        }

        try
        {
            if (!Base64Url.TryDecodeFromChars(encoded, destination, out length)
                || Base64Url.GetEncodedLength(length) != encoded.Length)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // Despite its name, TryDecodeFromChars throws on a final character with stray bits.
            length = 0;
            return false;
        }

        Span<char> canonical = stackalloc char[MaxEncodedLength];
        return Base64Url.TryEncodeToChars(destination[..length], canonical, out var written)
            && canonical[..written].SequenceEqual(encoded);
    }

    private sealed record Encryptor(TokenKey Key, AesGcm Aes);
}
