using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Suppression.Unsubscribe;

/// <summary>
/// The configured token keys, oldest first: the last (newest) key issues tokens, every key still
/// decrypts. Rotate by appending a key with a new id; retire a key by removing it once the tokens it
/// issued have expired.
/// </summary>
public sealed class TokenKeyRing
{
    public const string ConfigurationKey = "Suppression:Tokens:Keys";

    private readonly TokenKey?[] _byId = new TokenKey?[256];

    public TokenKeyRing(IEnumerable<TokenKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A token key ring needs at least one key.", nameof(keys));
        }

        foreach (var key in list)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            if (_byId[key.Id] is not null)
            {
                throw new ArgumentException($"Key id {key.Id} appears twice in the token key ring.", nameof(keys));
            }

            _byId[key.Id] = key;
        }

        Keys = list.AsReadOnly();
        Current = list[^1];
    }

    public IReadOnlyList<TokenKey> Keys { get; }

    public TokenKey Current { get; }

    public bool TryGetKey(byte id, [NotNullWhen(true)] out TokenKey? key)
    {
        key = _byId[id];
        return key is not null;
    }

    public static TokenKeyRing Parse(IEnumerable<string?>? entries) =>
        TryParse(entries, out var ring, out var error) ? ring : throw new FormatException(error);

    // Entries are the values of Suppression:Tokens:Keys:0, :1, ... in order; errors name the entry.
    public static bool TryParse(IEnumerable<string?>? entries, [NotNullWhen(true)] out TokenKeyRing? ring, out string error)
    {
        ring = null;
        var texts = entries?.ToList() ?? [];
        if (texts.Count == 0)
        {
            error = $"{ConfigurationKey} has no keys; configure at least one '<id>:<base64 of 32 bytes>'.";
            return false;
        }

        var keys = new List<TokenKey>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var name = ConfigurationKey + ":" + i.ToString(CultureInfo.InvariantCulture);
            if (!TokenKey.TryParse(texts[i], out var key, out var keyError))
            {
                error = $"{name} {keyError}";
                return false;
            }

            // A position-derived id would change when an older key is removed, orphaning every token
            // the remaining keys issued; so only a lone key may leave its id implicit.
            if (texts.Count > 1 && !texts[i]!.Contains(':', StringComparison.Ordinal))
            {
                error = $"{name} has no key id; when several keys are configured each is written '<id>:<base64 key>'.";
                return false;
            }

            for (var j = 0; j < keys.Count; j++)
            {
                var other = ConfigurationKey + ":" + j.ToString(CultureInfo.InvariantCulture);
                if (keys[j].Id == key.Id)
                {
                    error = $"{name} repeats key id {key.Id.ToString(CultureInfo.InvariantCulture)}, already used by {other}.";
                    return false;
                }

                if (CryptographicOperations.FixedTimeEquals(keys[j].Material, key.Material))
                {
                    error = $"{name} repeats the key of {other}; a new key id needs a new key.";
                    return false;
                }
            }

            keys.Add(key);
        }

        ring = new TokenKeyRing(keys);
        error = string.Empty;
        return true;
    }
}
