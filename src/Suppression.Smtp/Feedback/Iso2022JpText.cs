using System.Text;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Decodes ISO-2022-JP (RFC 1468) text that reached us still encoded: 7-bit bytes between escape
/// sequences, which read as ASCII are "$B%G%#%l%/%H%j..." and say nothing. Lotus Domino writes its
/// Japanese Diagnostic-Code raw into the header field, where RFC 2047 would have encoded it; and
/// MimeKit decodes a part's charset="ISO-2022-JP" only when .NET's code pages were registered
/// before the message was loaded, which a parser handed a loaded message cannot promise.
/// </summary>
internal static class Iso2022JpText
{
    private const char Escape = '\u001b';

    // RFC 1468 3: ESC $ @ and ESC $ B switch to JIS X 0208, ESC ( J to JIS X 0201-Roman.
    private static readonly string[] ShiftsOut = [$"{Escape}$B", $"{Escape}$@", $"{Escape}(J"];

    private static readonly Lazy<Encoding?> Jis = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("iso-2022-jp");
    });

    public static string Decode(string text)
    {
        if (!ShiftsOut.Any(shift => text.Contains(shift, StringComparison.Ordinal)) || text.Any(character => character > '\u007f') || Jis.Value is not { } jis)
        {
            return text;
        }

        return jis.GetString(Encoding.ASCII.GetBytes(text));
    }
}
