using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Finds the SMTP command a refusal answered in the words a reporting MTA wrote around it: Postfix's
/// "(in reply to RCPT TO command)", Exim's "SMTP error from remote mail server after RCPT
/// TO:&lt;...&gt;", and a Sendmail session transcript ("&gt;&gt;&gt; RCPT To:&lt;...&gt;" then
/// "&lt;&lt;&lt; 550 ..."). The forms are those sisimai's lib/Sisimai/SMTP/Command.pm and its
/// MTA modules read.
/// </summary>
internal static partial class RefusalStageReader
{
    /// <param name="text">A Diagnostic-Code or the lines of a report about one recipient.</param>
    /// <param name="address">That recipient, so that a transcript's refusal of another one is not taken for its own.</param>
    public static RefusalStage Find(string? text, string? address = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RefusalStage.Unknown;
        }

        var flat = Whitespace().Replace(text, " ");
        var marker = InReplyTo().Match(flat);
        if (!marker.Success)
        {
            marker = After().Match(flat);
        }

        if (!marker.Success && MicrosoftRelayedRecipientRefusal().IsMatch(flat))
        {
            return RefusalStage.RcptTo;
        }

        return marker.Success ? Stage(marker.Groups["command"].Value) : FromTranscript(text, address);
    }

    // RFC 5321 4.2: a transcript line ">>> COMMAND" is what the MTA sent, "<<< 550 ..." the reply.
    // The refusal is the first 4xx or 5xx reply, and it answered the last command sent before it.
    private static RefusalStage FromTranscript(string text, string? address)
    {
        string? command = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(">>>", StringComparison.Ordinal))
            {
                command = trimmed[3..].Trim();
                var otherRecipient = address is not null && command.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase)
                    && !command.Contains(address, StringComparison.OrdinalIgnoreCase);
                if (otherRecipient)
                {
                    return RefusalStage.Unknown;
                }
            }
            else if (command is not null && FailureReply().IsMatch(trimmed))
            {
                return Stage(command);
            }
        }

        return RefusalStage.Unknown;
    }

    private static RefusalStage Stage(string command)
    {
        var upper = command.ToUpperInvariant();
        return upper switch
        {
            _ when upper.StartsWith("RCPT", StringComparison.Ordinal) => RefusalStage.RcptTo,
            _ when upper.StartsWith("MAIL", StringComparison.Ordinal) => RefusalStage.MailFrom,
            _ when upper.StartsWith("END OF DATA", StringComparison.Ordinal) || upper.StartsWith("DATA", StringComparison.Ordinal)
                || upper == "." => RefusalStage.Data,
            _ when upper.StartsWith("EHLO", StringComparison.Ordinal) || upper.StartsWith("HELO", StringComparison.Ordinal)
                || upper.StartsWith("LHLO", StringComparison.Ordinal) || upper.StartsWith("STARTTLS", StringComparison.Ordinal) => RefusalStage.Greeting,
            _ when upper.StartsWith("INITIAL", StringComparison.Ordinal) || upper.StartsWith("CONNECT", StringComparison.Ordinal)
                || upper.StartsWith("GREETING", StringComparison.Ordinal) => RefusalStage.Connection,
            _ => RefusalStage.Unknown,
        };
    }

    // Postfix (src/smtp/smtp_proto.c): "(in reply to RCPT TO command)", "(in reply to end of DATA command)".
    [GeneratedRegex(@"in reply to (?<command>RCPT TO|MAIL FROM|end of DATA|DATA|EHLO|HELO|LHLO|STARTTLS|the initial greeting|initial greeting)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex InReplyTo();

    // Exim (src/transports/smtp.c): "SMTP error from remote mail server after RCPT TO:<a@b>:".
    [GeneratedRegex(@"(SMTP error from remote (mail )?(server|mailer) )?after (?<command>RCPT TO|MAIL FROM|end of data|DATA|EHLO|HELO|LHLO|STARTTLS|initial connection)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex After();

    // Exchange Online's 5.1.351 wraps the next server's answer to RCPT TO: "Remote server returned
    // unknown recipient or mailbox unavailable -> 550 <a@b>: User unknown" (Microsoft's NDR
    // documentation for 5.1.351; sisimai's Lhost/Office365.pm reads the same words as RCPT).
    [GeneratedRegex(@"unknown recipient or mailbox unavailable -> [^@]{0,200}@",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MicrosoftRelayedRecipientRefusal();

    [GeneratedRegex(@"^<<<\s*[45][0-9][0-9]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex FailureReply();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
