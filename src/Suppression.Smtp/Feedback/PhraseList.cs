namespace Suppression.Smtp.Feedback;

/// <summary>
/// Lower-case phrases looked for in a server's words: a phrase matches as a substring, an ordered
/// phrase when all its parts occur in that order (sisimai's <c>Sisimai::String-&gt;aligned</c>).
/// Substrings, not regular expressions, so a list reads as the replies it was gathered from.
/// </summary>
internal sealed class PhraseList(string[] phrases, string[][]? ordered = null, string[]? exceptions = null)
{
    /// <param name="lowerText">The text already lower-cased (invariant) and with its white space collapsed.</param>
    public bool Matches(string lowerText)
    {
        if (exceptions is not null && exceptions.Any(phrase => lowerText.Contains(phrase, StringComparison.Ordinal)))
        {
            return false;
        }

        return phrases.Any(phrase => lowerText.Contains(phrase, StringComparison.Ordinal))
            || (ordered is not null && ordered.Any(parts => InOrder(lowerText, parts)));
    }

    private static bool InOrder(string text, string[] parts)
    {
        var from = 0;
        foreach (var part in parts)
        {
            var at = text.IndexOf(part, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            from = at + part.Length;
        }

        return true;
    }
}
