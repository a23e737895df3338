using Suppression.Addresses;

namespace Suppression.Smtp.Protocol;

/// <summary>
/// A reverse-path or forward-path from MAIL or RCPT (RFC 5321 4.1.2): the mailbox as the client
/// wrote it (relayed unchanged, because local parts may be case-sensitive upstream) and its
/// normalized form (used for every lookup and record).
/// </summary>
public sealed record MailboxPath(string Mailbox, NormalizedAddress? Address)
{
    public static MailboxPath Null { get; } = new(string.Empty, null);

    public bool IsNull => Address is null;

    public bool IsAscii => Mailbox.All(char.IsAscii);

    /// <param name="text">The argument after "FROM:" or "TO:", parameters excluded.</param>
    public static bool TryParse(string text, bool allowNull, out MailboxPath path, out string error)
    {
        path = Null;
        if (text.Length < 2 || text[0] != '<' || text[^1] != '>')
        {
            error = "Syntax error in address: expected <mailbox>";
            return false;
        }

        var inner = text[1..^1];
        if (inner.Length == 0)
        {
            error = allowNull ? string.Empty : "The null address <> is only allowed as a sender";
            return allowNull;
        }

        // RFC 5321 4.1.2 and C: source routes ("@a,@b:") must be accepted and ignored.
        if (inner[0] == '@')
        {
            var colon = inner.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                error = "Syntax error in source route";
                return false;
            }

            inner = inner[(colon + 1)..];
        }

        if (!AddressNormalizer.TryNormalize(inner, out var normalized, out var reason) || inner != inner.Trim())
        {
            error = "Syntax error in address: " + (reason.Length > 0 ? reason : "surrounding spaces");
            return false;
        }

        path = new MailboxPath(inner, normalized);
        error = string.Empty;
        return true;
    }
}
