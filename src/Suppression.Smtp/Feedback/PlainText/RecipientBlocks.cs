using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// Splits a bounce's text into one block per failed recipient: the address-then-reason layout
/// that qmail, Exim, Sendmail, Postfix, Exchange, Gmail, Yahoo, OpenSMTPD and most others share.
/// The text before the first recipient is the notice's introduction, kept apart: it says whether
/// this is a failure or a delay warning, never why one recipient failed.
/// </summary>
internal static partial class RecipientBlocks
{
    // Lines read at most; a bounce's own text is far shorter (BounceText bounds its size too).
    private const int MaxLines = 1500;

    // A reason is in the first paragraphs under the address (Gmail: "Technical details ...", then
    // "The error that the other server returned was: 550 ..."); beyond that is boilerplate.
    private const int MaxParagraphs = 3;

    // FeedbackReportParser's maxRecipients decides what is malformed; this only bounds the work.
    private const int MaxBlocks = 1000;

    private const int MaxTranscriptLines = 8;

    private enum State
    {
        // Lines under the address belong to it, paragraph by paragraph.
        Open,

        // The reason was on the address's own line; only deeper-indented lines add to it
        // (Exchange 2003's "a@b on <date>" and its indented lines).
        ReasonOnLine,
        Closed,
    }

    public static (List<RecipientBlock> Blocks, string Introduction) Of(string text)
    {
        var blocks = new List<RecipientBlock>();
        var introduction = new List<string>();
        var transcript = new List<string>();
        RecipientBlock? current = null;
        var state = State.Closed;
        var previous = string.Empty;
        var linesAtBreak = 0;
        var paragraph = new List<string>();
        foreach (var raw in text.Split('\n', MaxLines + 1).Take(MaxLines))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                transcript.Clear();
                paragraph.Clear();
                if (current is null)
                {
                    introduction.Add(string.Empty);
                }

                if (current is not null && state != State.Closed && current.Lines.Count > linesAtBreak)
                {
                    // Blank lines in a row, or around a rule, end one paragraph, not several.
                    linesAtBreak = current.Lines.Count;
                    current.Paragraphs++;
                    if (state == State.ReasonOnLine || current.Paragraphs >= MaxParagraphs
                        || (ServerReply.HasCode(current.Text) && !current.Lines[^1].EndsWith(':')))
                    {
                        state = State.Closed;
                    }
                }

                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            if (current is not null && state != State.Closed && indent > current.Indent)
            {
                current.Add(line);
                continue;
            }

            var previousLine = previous;
            previous = trimmed;
            if (paragraph.Count < MaxTranscriptLines)
            {
                paragraph.Add(trimmed);
            }

            // "A message sent by\n\n  <a@b>\n\ncould not be delivered" (Exim) names the sender.
            if (RecipientLine.TryRead(line, out var recipient) && !SenderContext().IsMatch(previousLine))
            {
                var block = blocks.Find(existing => string.Equals(existing.Address, recipient.Address, StringComparison.OrdinalIgnoreCase));
                if (block is not null && ReferenceEquals(block, current) && state == State.Open)
                {
                    // The same address inside its own reason ("550 5.1.1 <a@b>... User unknown").
                    current.Add(line);
                    continue;
                }

                if (block is null)
                {
                    if (blocks.Count >= MaxBlocks)
                    {
                        break;
                    }

                    // Notes and Domino write the reason on the lines just above the address.
                    block = new RecipientBlock(recipient.Address, recipient.Indent) { Above = string.Join(' ', paragraph.SkipLast(1)) };
                    blocks.Add(block);
                }

                transcript.ForEach(block.Add);
                transcript.Clear();
                block.Add(recipient.Text);
                block.Paragraphs = 0;
                linesAtBreak = block.Lines.Count - 1;
                current = block;
                state = recipient.ReasonOnLine ? State.ReasonOnLine : State.Open;
                continue;
            }

            var isTranscript = trimmed.StartsWith(">>>", StringComparison.Ordinal) || trimmed.StartsWith("<<<", StringComparison.Ordinal);
            if (current is null)
            {
                introduction.Add(trimmed);
            }
            else if (state == State.Open && !(isTranscript && NamesAnotherAddress(trimmed, current.Address)) && !MessageSummary().IsMatch(trimmed))
            {
                current.Add(line);
                continue;
            }
            else
            {
                state = State.Closed;
            }

            // Sendmail writes the SMTP dialogue above the recipient it concerns.
            if (isTranscript && transcript.Count < MaxTranscriptLines)
            {
                transcript.Add(trimmed);
            }
            else if (!isTranscript)
            {
                transcript.Clear();
            }
        }

        return (blocks, string.Join('\n', introduction));
    }

    [GeneratedRegex(@"(\bsent by|^from|\bsender( address)?|on behalf of|originator)[ \t:]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SenderContext();

    // A summary of the returned message under the recipient (Verizon's "Message details:") is not
    // the recipient's reason; qmail's "From: <postmaster@...> RCPT: <a@b> ... does not like
    // recipient" is.
    [GeneratedRegex(@"^(From|To|Cc|Bcc|Subject|Date|Sent|Sent date|Size[^:]{0,20}|Number of lines|MAIL FROM|Message-ID)[ \t]*:(?!.*\bRCPT\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MessageSummary();

    // ">>> RCPT To:<b@c>" under a's reason begins b's dialogue; ">>> RCPT TO:<a>" under a's own
    // address (EZweb) continues a's.
    private static bool NamesAnotherAddress(string line, string address) =>
        line.Contains('@', StringComparison.Ordinal) && !line.Contains(address, StringComparison.OrdinalIgnoreCase);
}
