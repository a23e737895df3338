namespace Suppression.Smtp.Protocol.Commands;

/// <summary>Splits "FROM:&lt;path&gt; KEY=VALUE ..." into the path and its ESMTP parameters (RFC 5321 4.1.2).</summary>
internal static class PathArgument
{
    public static bool TrySplit(string argument, string prefix, out string path, out List<(string Keyword, string? Value)> parameters)
    {
        path = string.Empty;
        parameters = [];
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Strict RFC 5321 has no space after the colon; many clients send one, and refusing them helps nobody.
        var rest = argument[prefix.Length..].TrimStart(' ');
        var end = FindPathEnd(rest);
        if (end < 0)
        {
            return false;
        }

        path = rest[..(end + 1)];
        var tail = rest[(end + 1)..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            return false;
        }

        foreach (var token in tail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            parameters.Add(equals < 0 ? (token, null) : (token[..equals], token[(equals + 1)..]));
        }

        return true;
    }

    /// <summary>555 for a parameter this server does not know (RFC 5321 4.1.1.11), naming it only when it is a keyword.</summary>
    public static SmtpReply UnrecognizedParameter(string verb, string keyword) =>
        new(555, "5.5.4", IsKeyword(keyword)
            ? $"{verb} parameter {keyword} not recognized or not implemented"
            : $"{verb} parameter not recognized: a parameter is keyword[=value] (RFC 5321 4.1.2)");

    // RFC 5321 4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"). Anything else put
    // whatever the client wrote, control characters and a bare CR included, into the reply text,
    // which RFC 5321 4.2 limits to printable ASCII (found by fuzzing).
    private static bool IsKeyword(string keyword) =>
        keyword.Length > 0 && char.IsAsciiLetterOrDigit(keyword[0]) && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    // The closing '>' of the path, skipping quoted strings in the local part.
    private static int FindPathEnd(string text)
    {
        if (text.Length == 0 || text[0] != '<')
        {
            return -1;
        }

        var inQuotes = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when inQuotes:
                    i++;
                    break;
                case '"':
                    inQuotes = !inQuotes;
                    break;
                case '>' when !inQuotes:
                    return i;
            }
        }

        return -1;
    }
}
