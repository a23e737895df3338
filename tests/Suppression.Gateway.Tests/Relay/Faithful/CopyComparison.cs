using System.Text;
using System.Text.RegularExpressions;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// Compares one relayed copy with the client's message. What may differ is documented (README,
/// "What the gateway does with a message"): the gateway adds a Received field, List-Unsubscribe and
/// List-Unsubscribe-Post (replacing the client's), and a DKIM-Signature when it signs for the From
/// domain; it removes X-Suppression-* fields. Every other field of the client's header block must
/// be there byte for byte and in the same order, and the body must be byte for byte the client's.
/// </summary>
public static class CopyComparison
{
    public const string Selector = "faithful";

    private static readonly string[] Replaced = ["List-Unsubscribe", "List-Unsubscribe-Post"];

    public static IReadOnlyList<CopyDifference> Compare(CorpusMessage input, byte[] copy)
    {
        var differences = new List<CopyDifference>();
        var relayed = MessageLayout.Of(copy);
        var expected = input.Layout.HeaderBlock.Where(field => !IsRemoved(MessageLayout.NameOf(field))).ToList();
        CompareHeaderBlocks(expected, relayed.HeaderBlock, input.SigningDomain is not null, differences);

        if (relayed.HasSeparator != input.Layout.HasSeparator)
        {
            differences.Add(new(CopyDifference.Separator, relayed.HasSeparator
                ? "an empty line was added after a header block that had none"
                : "the empty line after the header block was lost"));
        }

        var offset = FirstDifference(input.Layout.Body.Span, relayed.Body.Span);
        if (offset >= 0)
        {
            differences.Add(new(CopyDifference.Body,
                $"body differs at body offset {offset} (message offset {input.Layout.BodyOffset + offset} in the input, {relayed.BodyOffset + offset} in the copy); "
                + $"{input.Layout.Body.Length} octets sent, {relayed.Body.Length} relayed; sent {Excerpt(input.Layout.Body.Span, offset)}, relayed {Excerpt(relayed.Body.Span, offset)}"));
        }

        return differences;
    }

    /// <summary>Whether a field is the gateway's DKIM signature (s=faithful).</summary>
    public static bool IsGatewaySignature(byte[] field) =>
        MessageLayout.NameOf(field).Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase)
        && Regex.IsMatch(Unfolded(field), "[:;]s=" + Selector + "(;|$)");

    private static bool IsRemoved(string name) =>
        name.StartsWith("X-Suppression-", StringComparison.OrdinalIgnoreCase)
        || Replaced.Contains(name, StringComparer.OrdinalIgnoreCase);

    // The longest common subsequence of whole fields (byte-equal) is what was kept in order; what is
    // left on either side is explained, field by field, as a documented addition or a difference.
    private static void CompareHeaderBlocks(List<byte[]> expected, IReadOnlyList<byte[]> relayed, bool signed, List<CopyDifference> differences)
    {
        var (keptExpected, keptRelayed) = Align(expected, relayed);
        var added = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unexplained = new List<byte[]>();
        for (var i = 0; i < relayed.Count; i++)
        {
            if (keptRelayed[i])
            {
                continue;
            }

            var name = MessageLayout.NameOf(relayed[i]);
            var documented = name.Equals("Received", StringComparison.OrdinalIgnoreCase)
                || Replaced.Contains(name, StringComparer.OrdinalIgnoreCase)
                || IsGatewaySignature(relayed[i]);
            if (documented && added.GetValueOrDefault(name) == 0)
            {
                added[name] = 1;
            }
            else
            {
                unexplained.Add(relayed[i]);
            }
        }

        foreach (var name in new[] { "Received", "List-Unsubscribe", "List-Unsubscribe-Post" }.Concat(signed ? ["DKIM-Signature"] : []))
        {
            if (added.GetValueOrDefault(name) == 0)
            {
                differences.Add(new(CopyDifference.GatewayFieldMissing, $"the gateway's {name} is missing"));
            }
        }

        var lost = expected.Where((_, i) => !keptExpected[i]).ToList();
        foreach (var field in lost)
        {
            var name = MessageLayout.NameOf(field);
            if (unexplained.FindIndex(other => other.AsSpan().SequenceEqual(field)) is var moved and >= 0)
            {
                differences.Add(new(CopyDifference.FieldMoved, $"{name}: moved out of the client's order"));
                unexplained.RemoveAt(moved);
            }
            else if (unexplained.FindIndex(other => MessageLayout.NameOf(other).Equals(name, StringComparison.OrdinalIgnoreCase)) is var changed and >= 0)
            {
                var offset = FirstDifference(field, unexplained[changed]);
                differences.Add(new(CopyDifference.FieldChanged, $"{name}: differs at octet {offset} of the field: sent {Excerpt(field, offset)}, relayed {Excerpt(unexplained[changed], offset)}"));
                unexplained.RemoveAt(changed);
            }
            else if (field.AsSpan().StartsWith("From "u8) && !name.Contains(':', StringComparison.Ordinal) && field == expected[0])
            {
                differences.Add(new(CopyDifference.MboxFromLineLost, $"the first line {Excerpt(field, 0)} is gone"));
            }
            else
            {
                differences.Add(new(CopyDifference.FieldLost, $"{name}: gone ({Excerpt(field, 0)})"));
            }
        }

        foreach (var field in unexplained)
        {
            differences.Add(new(CopyDifference.FieldAdded, $"{MessageLayout.NameOf(field)}: added, not documented ({Excerpt(field, 0)})"));
        }
    }

    private static (bool[] KeptExpected, bool[] KeptRelayed) Align(List<byte[]> expected, IReadOnlyList<byte[]> relayed)
    {
        var lengths = new int[expected.Count + 1, relayed.Count + 1];
        for (var i = expected.Count - 1; i >= 0; i--)
        {
            for (var j = relayed.Count - 1; j >= 0; j--)
            {
                lengths[i, j] = expected[i].AsSpan().SequenceEqual(relayed[j])
                    ? lengths[i + 1, j + 1] + 1
                    : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var keptExpected = new bool[expected.Count];
        var keptRelayed = new bool[relayed.Count];
        for (int i = 0, j = 0; i < expected.Count && j < relayed.Count;)
        {
            if (expected[i].AsSpan().SequenceEqual(relayed[j]))
            {
                keptExpected[i++] = true;
                keptRelayed[j++] = true;
            }
            else if (lengths[i + 1, j] >= lengths[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (keptExpected, keptRelayed);
    }

    private static int FirstDifference(ReadOnlySpan<byte> sent, ReadOnlySpan<byte> relayed)
    {
        var common = sent.CommonPrefixLength(relayed);
        return common == sent.Length && common == relayed.Length ? -1 : common;
    }

    // Up to 40 octets from the offset, control and 8-bit octets escaped, so a report line shows the difference.
    private static string Excerpt(ReadOnlySpan<byte> bytes, int offset)
    {
        if (offset >= bytes.Length)
        {
            return "<end>";
        }

        var text = new StringBuilder("\"");
        foreach (var octet in bytes.Slice(offset, Math.Min(40, bytes.Length - offset)))
        {
            text.Append(octet switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'"' => "\\\"",
                < 32 or > 126 => $"\\x{octet:x2}",
                _ => ((char)octet).ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string Unfolded(byte[] field) =>
        new(Encoding.Latin1.GetString(field).Where(character => !char.IsWhiteSpace(character)).ToArray());
}
