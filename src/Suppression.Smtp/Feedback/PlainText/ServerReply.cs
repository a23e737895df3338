using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// What a plain-text bounce quotes of the remote server for one recipient: its reply from the SMTP
/// reply code on (RFC 5321 4.2), and the command that reply answered, when the text says.
/// </summary>
internal static partial class ServerReply
{
    private const int MaxDiagnosticChars = 1000;

    public static bool HasCode(string text) => ReplyCode().IsMatch(text) || EnhancedCode().IsMatch(text);

    /// <summary>
    /// The remote server's words: from the first reply code on when there is one ("host mx [ip]:
    /// 550 5.1.1 ... User unknown" becomes "550 5.1.1 ... User unknown"), otherwise the whole block.
    /// </summary>
    public static string? WordsIn(string block)
    {
        var text = Whitespace().Replace(block, " ").Trim();
        var reply = ReplyCode().Match(text);
        if (reply.Success)
        {
            text = text[reply.Index..];

            // qmail-send appends its own guess, "(#5.5.0)", to a remote reply that has no enhanced
            // code; it is not the server's word, and the guess is often wrong about the cause.
            text = QmailGuess().Replace(text, string.Empty).Trim();
        }

        // Some notices repeat the recipient's RFC 3464 fields in their text (Amazon WorkMail's
        // "Technical report:", a report whose MIME boundary is broken): the reply ends where the
        // next field begins, or "Remote-MTA: dns; ..." would be read as a DNS failure.
        var field = NextField().Match(text);
        if (field.Success && field.Index > 0)
        {
            text = text[..field.Index].Trim();
        }

        if (text.Length > MaxDiagnosticChars)
        {
            text = text[..MaxDiagnosticChars];
        }

        return text.Length == 0 ? null : text;
    }

    // The last command the text names is the one the failure answered: a transcript reads in order.
    public static RefusalStage StageIn(string block)
    {
        var stage = RefusalStage.Unknown;
        foreach (Match match in Command().Matches(block))
        {
            stage = match.Groups["rcpt"].Success ? RefusalStage.RcptTo
                : match.Groups["data"].Success ? RefusalStage.Data
                : RefusalStage.MailFrom;
        }

        return stage;
    }

    // A failure's reply code (RFC 5321 4.2.1: 4yz or 5yz), not part of an IP address, a time, a
    // port or a longer number; Exchange writes it "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##".
    [GeneratedRegex(@"(?<![\w.:/=-])[45][0-9][0-9](?=[ \t-]|:[ \t]|$)(?![0-9])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ReplyCode();

    [GeneratedRegex(@"(?<![0-9.])[45]\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9]|\.[0-9])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EnhancedCode();

    [GeneratedRegex(@"\(#[245]\.[0-9]{1,3}\.[0-9]{1,3}\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex QmailGuess();

    // How qmail ("does not like recipient", "failed on DATA command", "but sender was rejected":
    // qmail-remote.c's texts, as sisimai's Lhost/qmail.pm lists them), Exim ("after RCPT TO"),
    // Sendmail (">>> RCPT To:"), Postfix ("in reply to RCPT TO command"), DragonFly ("did not like
    // our RCPT TO"), Yahoo ("[RCPT_TO]"), m-FILTER ("-------SMTP command" over "DATA"), X3
    // ("SMTP:RCPT host ...: 553 ...") and others say which command was refused.
    [GeneratedRegex(
        @"(?<rcpt>after RCPT|in reply to RCPT|>>> ?RCPT|Sent <<< ?RCPT|SMTP command:? RCPT|SMTP:RCPT\b|RCPT TO response|does not like recipient|did not like our RCPT|following RCPT|RCPT command|\[RCPT_TO\]|\bRCPT:)"
        + @"|(?<data>after (end of )?DATA|in reply to (end of )?DATA|>>> ?DATA|did not like our DATA|following DATA|DATA command|SMTP command:? DATA|end of data|failed after I sent the message)"
        + @"|(?<mail>after MAIL FROM|in reply to MAIL FROM|>>> ?MAIL FROM|did not like our MAIL|MAIL FROM command|SMTP command:? MAIL|\[MAIL_FROM\]|but sender was rejected)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Command();

    [GeneratedRegex(@"\s(Final-Recipient|Original-Recipient|Action|Status|Remote-MTA|Reporting-MTA|Received-From-MTA|Arrival-Date|Last-Attempt-Date|Will-Retry-Until|X-[A-Za-z-]{1,40}):\s",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NextField();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
