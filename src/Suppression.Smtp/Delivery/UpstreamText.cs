using System.Text.RegularExpressions;

namespace Suppression.Smtp.Delivery;

/// <summary>Makes an upstream reply text safe to repeat to the client: one line, printable, bounded, enhanced code split off.</summary>
internal static partial class UpstreamText
{
    public static (string? EnhancedCode, string Text) Clean(string upstreamText)
    {
        var text = new string(upstreamText.Select(c => c is >= ' ' and <= '~' ? c : ' ').ToArray()).Trim();
        if (text.Length > 300)
        {
            text = text[..300];
        }

        var match = EnhancedCodePattern().Match(text);
        return match.Success ? (match.Groups[1].Value, text[match.Length..].TrimStart()) : (null, text);
    }

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)")]
    private static partial Regex EnhancedCodePattern();
}
