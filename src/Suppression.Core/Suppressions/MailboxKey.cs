using System.Buffers;
using System.Globalization;

namespace Suppression.Suppressions;

/// <summary>
/// Where the store keeps one mailbox's entries, as exports name it: its bucket (5 lowercase hex
/// digits, 00000 to 3ffff) and its field (20 lowercase hex digits), <c>002df.a0a26ef2e5955397e0ea</c>
/// (docs/data-model.md). Every exported row carries it, so a row can be imported again without its
/// address: one from a hashed store, which keeps no addresses, or one of an erased address.
/// </summary>
/// <remarks>
/// It derives from an unkeyed digest of the address, so whoever can guess an address can confirm
/// it against a key, as against the store itself; it reveals no address that was not guessed.
/// </remarks>
public readonly record struct MailboxKey
{
    public const int BucketDigits = 5;
    public const int FieldDigits = 20;
    private const int BucketLimit = 1 << 18;

    private static readonly SearchValues<char> LowercaseHexDigits = SearchValues.Create("0123456789abcdef");

    private MailboxKey(string bucket, string field)
    {
        Bucket = bucket;
        Field = field;
    }

    /// <summary>The bucket's id: 5 lowercase hex digits.</summary>
    public string Bucket { get; }

    /// <summary>The field: 20 lowercase hex digits (10 bytes).</summary>
    public string Field { get; }

    public static MailboxKey Of(string bucket, ReadOnlySpan<byte> field) =>
        TryParse(bucket + "." + Convert.ToHexStringLower(field), out var key)
            ? key
            : throw new ArgumentException($"Not a bucket of {BucketDigits} hex digits and a field of {FieldDigits / 2} bytes.", nameof(field));

    public static bool TryParse(ReadOnlySpan<char> text, out MailboxKey key)
    {
        key = default;
        if (text.Length != BucketDigits + 1 + FieldDigits || text[BucketDigits] != '.'
            || text[..BucketDigits].ContainsAnyExcept(LowercaseHexDigits) || text[(BucketDigits + 1)..].ContainsAnyExcept(LowercaseHexDigits)
            || int.Parse(text[..BucketDigits], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) >= BucketLimit)
        {
            return false;
        }

        key = new MailboxKey(text[..BucketDigits].ToString(), text[(BucketDigits + 1)..].ToString());
        return true;
    }

    public override string ToString() => Bucket + "." + Field;
}
