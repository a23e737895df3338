using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Suppression.Audit;
using Suppression.Suppressions;

namespace Suppression.Unsubscribe;

/// <summary>
/// What the confirmation page's Undo form carries: the changes the page's own requests made, bound to
/// the link and sealed with a key derived from the token key, so the form cannot be pointed at
/// another request's record (another link's unsubscribe of the same recipient, say). Layout:
/// <c>&lt;key id&gt;.&lt;base64url of "scope|chain|sequence" joined by ','&gt;.&lt;base64url HMAC-SHA256&gt;</c>.
/// </summary>
internal static class UndoBinding
{
    // A page binds at most its unsubscribe and its widening.
    public const int MaxChanges = 4;

    public const int MaxLength = 1024;

    private static readonly byte[] KeyPurpose = "suppression undo binding v1"u8.ToArray();

    public static string Seal(TokenKey key, string token, IReadOnlyList<UndoableChange> changes)
    {
        if (changes.Count is 0 or > MaxChanges)
        {
            throw new ArgumentOutOfRangeException(nameof(changes), changes.Count, $"Between 1 and {MaxChanges} changes.");
        }

        var items = Encoding.UTF8.GetBytes(string.Join(',', changes.Select(change => $"{change.Scope}|{change.Record.Chain}|{change.Record.Sequence.ToString(CultureInfo.InvariantCulture)}")));
        return string.Create(CultureInfo.InvariantCulture, $"{key.Id}.{Base64Url.EncodeToString(items)}.{Base64Url.EncodeToString(Mac(key, token, items))}");
    }

    public static bool TryOpen(TokenKeyRing keys, string token, string? binding, [NotNullWhen(true)] out IReadOnlyList<UndoableChange>? changes)
    {
        changes = null;
        var parts = binding is { Length: > 0 and <= MaxLength } ? binding.Split('.') : [];
        if (parts.Length != 3
            || !byte.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var keyId)
            || !keys.TryGetKey(keyId, out var key)
            || !TryDecode(parts[1], out var items)
            || !TryDecode(parts[2], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, Mac(key, token, items)))
        {
            return false;
        }

        var read = new List<UndoableChange>();
        foreach (var item in Encoding.UTF8.GetString(items).Split(','))
        {
            var fields = item.Split('|');
            if (fields.Length != 3
                || !SuppressionScope.TryParse(fields[0], out var scope)
                || !AuditPosition.TryParse(fields[1] + "/" + fields[2], out var position)
                || read.Count == MaxChanges)
            {
                return false;
            }

            read.Add(new UndoableChange(scope, position));
        }

        changes = read;
        return true;
    }

    private static byte[] Mac(TokenKey key, string token, byte[] items)
    {
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material.ToArray(), 32, info: KeyPurpose);
        try
        {
            byte[] message = [.. Encoding.UTF8.GetBytes(token), (byte)'\n', .. items];
            return HMACSHA256.HashData(macKey, message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
