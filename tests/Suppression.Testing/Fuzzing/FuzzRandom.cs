using System.Text;

namespace Suppression.Testing.Fuzzing;

/// <summary>
/// One fuzz iteration's source of input: random bytes and text biased towards what breaks parsers
/// (NUL, bare CR and LF, quotes, brackets, invalid UTF-8, lone surrogates, combining marks,
/// case-folding oddities), and mutations of valid input.
/// </summary>
public sealed class FuzzRandom(int seed)
{
    // Bytes that change a parser's path: line ends, NUL, separators, and the UTF-8 lead and
    // continuation bytes that make a sequence invalid (overlong, surrogate, beyond U+10FFFF) or
    // spell a noncharacter (EF BF BE is U+FFFE, which string.Normalize refuses).
    private static readonly byte[] InterestingBytes =
        [0x00, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)'"', (byte)'\\', (byte)'<', (byte)'>', (byte)'@', (byte)':', (byte)',',
         (byte)'.', (byte)'=', (byte)'[', (byte)']', 0x7F, 0x80, 0xBE, 0xBF, 0xC0, 0xC1, 0xC3, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF];

    private static readonly string[] InterestingText =
    [
        "\0", "\r", "\n", "\r\n", "\t", " ", "\"", "\\", "<", ">", "@", ":", ",", ";", ".", "..", "=", "[", "]", "(", ")", "+",
        "\u007F", "\u0085", "\u00A0", "\u00AD", "\u200B", "\u200D", "\u2028", "\u202E", "\uFEFF", "\uFFFD", "\uFFFE", "\uFFFF",
        "\u00E9", "e\u0301", "\u00DF", "\u1E9E", "\u0130", "\u0131", "\u212A", "\u212B", "\u03A3", "\u03C2", "\uFB00", "\u0345",
        "J\u030C", "\u01F0", "\u0301", "\u0323\u0307", "\uFF20", "\uFF0E", "\u3002", "\uFF61", "\u2024",
        "\u4F8B\u3048", "\u043F\u0440\u0438", "\u0645\u062B\u0627\u0644", "\uD83D\uDE00", "\uD800", "\uDC00", "xn--", "XN--",
    ];

#pragma warning disable CA5394 // Test input, not security: the point is that it is reproducible.
    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);

    public bool Chance(double probability) => _random.NextDouble() < probability;
#pragma warning restore CA5394

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Mostly short, sometimes long: small inputs find most bugs, long ones find the limits.</summary>
    public int Length(int max) => Chance(0.8) ? Next(Math.Min(max, 40) + 1) : Next(max + 1);

    public byte[] Bytes(int maxLength)
    {
        var bytes = new byte[Length(maxLength)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = Chance(0.3) ? Pick(InterestingBytes) : (byte)Next(256);
        }

        return bytes;
    }

    /// <summary>Text from every class of character, including lone surrogates.</summary>
    public string Text(int maxLength)
    {
        var length = Length(maxLength);
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            builder.Append(Next(6) switch
            {
                0 => Pick(InterestingText),
                1 => (char)Next(0x20, 0x7F),
                2 => (char)Next(0, 0x20),
                3 => (char)Next(0x80, 0x800),
                4 => (char)Next(0x800, 0x10000),
                _ => Pick("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+".ToCharArray()),
            });
        }

        return builder.ToString();
    }

    /// <summary>One to four edits: cut, duplicate, truncate, change a character, or insert a token, random text or a repeat.</summary>
    public string Mutate(string text, IReadOnlyList<string>? tokens = null)
    {
        var edits = Next(1, 5);
        for (var edit = 0; edit < edits; edit++)
        {
            var at = Next(text.Length + 1);
            var span = Next(Math.Min(8, text.Length - at) + 1);
            text = Next(8) switch
            {
                0 => text.Remove(at, span),
                1 => text.Insert(at, text.Substring(at, span)),
                2 => text[..at],
                3 when at < text.Length => text.Remove(at, 1).Insert(at, FlipCase(text[at])),
                4 => text.Insert(at, Pick(InterestingText)),
                5 when tokens is { Count: > 0 } => text.Insert(at, Pick(tokens)),
                6 => text.Insert(at, new string(Pick("ax.@<\"\\ ".ToCharArray()), Chance(0.5) ? Next(1, 80) : Next(200, 1200))),
                _ => text.Insert(at, Text(6)),
            };
        }

        return text;
    }

    /// <summary>One to four edits on the encoded form: bit flips, inserted interesting bytes, cuts, truncation.</summary>
    public byte[] Mutate(byte[] bytes)
    {
        var list = new List<byte>(bytes);
        var edits = Next(1, 5);
        for (var edit = 0; edit < edits; edit++)
        {
            var at = Next(list.Count + 1);
            switch (Next(5))
            {
                case 0 when at < list.Count:
                    list[at] ^= (byte)(1 << Next(8));
                    break;
                case 1:
                    list.Insert(at, Pick(InterestingBytes));
                    break;
                case 2:
                    list.RemoveRange(at, Next(Math.Min(8, list.Count - at) + 1));
                    break;
                case 3:
                    list.RemoveRange(at, list.Count - at);
                    break;
                default:
                    list.InsertRange(at, Bytes(6));
                    break;
            }
        }

        return [.. list];
    }

    private string FlipCase(char c) =>
        char.IsUpper(c) ? char.ToLowerInvariant(c).ToString() : char.IsLower(c) ? char.ToUpperInvariant(c).ToString() : Pick(InterestingText);
}
