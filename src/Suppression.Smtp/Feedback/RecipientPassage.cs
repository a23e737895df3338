namespace Suppression.Smtp.Feedback;

/// <summary>
/// The lines of a report's human-readable part (RFC 6522 3, its first part) that are about one
/// recipient: from a line naming the address (or the transcript command just before it) to the
/// next blank line. Only text next to the address is read for it, so one recipient's refusal is
/// never taken for another's.
/// </summary>
internal static class RecipientPassage
{
    private const int MaxLines = 8;

    // A Sendmail transcript names the recipient in the reply ("<<< 550 <a@b>... User unknown"),
    // under the command it answered a line or two above.
    private const int MaxLinesBackToCommand = 3;

    /// <param name="others">The report's other recipients: a line naming one of them ends the passage.</param>
    public static IEnumerable<string> Find(string? humanText, IReadOnlyCollection<string> addresses, IReadOnlyCollection<string> others)
    {
        if (string.IsNullOrEmpty(humanText) || addresses.Count == 0)
        {
            yield break;
        }

        var lines = humanText.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!Names(lines[i], addresses))
            {
                continue;
            }

            var start = i;
            for (var back = 1; back <= MaxLinesBackToCommand && i - back >= 0 && lines[i - back].Trim().Length > 0; back++)
            {
                if (lines[i - back].TrimStart().StartsWith(">>>", StringComparison.Ordinal))
                {
                    start = i - back;
                    break;
                }
            }

            var end = i;
            while (end + 1 < lines.Length && end + 1 - start < MaxLines && lines[end + 1].Trim().Length > 0
                && (Names(lines[end + 1], addresses) || !Names(lines[end + 1], others)))
            {
                end++;
            }

            yield return string.Join('\n', lines[start..(end + 1)]);
            i = end;
        }
    }

    // Whole addresses only: "a@example.com" is not named by a line about "ba@example.com".
    private static bool Names(string line, IReadOnlyCollection<string> addresses) => addresses.Any(address =>
    {
        for (var at = line.IndexOf(address, StringComparison.OrdinalIgnoreCase); at >= 0; at = line.IndexOf(address, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + address.Length;
            var endsHere = end == line.Length || (line[end] == '.' ? end + 1 == line.Length || !char.IsLetterOrDigit(line[end + 1]) : !IsAddressCharacter(line[end]));
            if ((at == 0 || !IsAddressCharacter(line[at - 1])) && endsHere)
            {
                return true;
            }
        }

        return false;
    });

    private static bool IsAddressCharacter(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '=' or '%';
}
