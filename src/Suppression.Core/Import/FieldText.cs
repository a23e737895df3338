using System.Text;

namespace Suppression.Import;

/// <summary>Field bytes as the text that row errors quote back to the user.</summary>
internal static class FieldText
{
    private const int MaxQuotedLength = 64;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> field) => field.Trim(" \t"u8);

    /// <summary>The value between single quotes, shortened when long; invalid UTF-8 shows as U+FFFD.</summary>
    public static string Quote(ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field);
        return "'" + (text.Length > MaxQuotedLength ? text[..MaxQuotedLength] + "..." : text) + "'";
    }
}
