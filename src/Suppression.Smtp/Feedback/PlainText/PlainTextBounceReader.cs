using System.Text.RegularExpressions;
using MimeKit;

namespace Suppression.Smtp.Feedback.PlainText;

/// <summary>
/// Reads the bounces that are not RFC 3464 reports: the plain-text notices of qmail, Exim, older
/// Sendmail, Exchange 2003, Gmail, Yahoo, OpenSMTPD, DragonFly, Mail.ru, McAfee, Domino, IMail,
/// MXLogic, Zoho, GMX and others, and Amazon SES's JSON notification mail. Each failed recipient the
/// notice's own text names (never the returned copy) gets the verdict of <see cref="BounceVerdict"/>
/// from the remote server's words quoted under it, exactly as a DSN's Diagnostic-Code would.
/// </summary>
internal static partial class PlainTextBounceReader
{
    /// <returns>Null when the text names no failed recipient in a layout this reader knows.</returns>
    /// <param name="body">The part to read: the message's body, or the multipart/report found in it.</param>
    public static FeedbackReport? Read(MimeMessage message, MimeEntity? body, int maxRecipients, string? originalMessageId)
    {
        try
        {
            return ReadText(message, body, maxRecipients, originalMessageId);
        }
        catch (RegexMatchTimeoutException)
        {
            // Every pattern here is bounded and linear on real bounces; text built to make one
            // crawl is kept for a person rather than allowed to hold a parsing slot.
            return FeedbackReport.Malformed("The bounce's text took too long to read.", originalMessageId);
        }
    }

    private static FeedbackReport? ReadText(MimeMessage message, MimeEntity? body, int maxRecipients, string? originalMessageId)
    {
        var subject = message.Subject ?? string.Empty;
        var whole = BounceText.WholeOf(body);
        if (whole is null)
        {
            return null;
        }

        if (AmazonSesNotification.TryRead(whole, maxRecipients, out var notification))
        {
            return notification with { OriginalMessageId = originalMessageId };
        }

        var (blocks, introduction) = RecipientBlocks.Of(BounceText.Of(body) ?? string.Empty);

        // An address on a line of its own is also how a person, an auto-reply or a list robot writes
        // ("please write to\n\n  colleague@example.org", "send 'guide' to the address\n\n
        // list-ctl@example.org"): a bounce comes from a mail system (one its header fields name, or
        // a mailer-daemon) or says, in its subject, above the first address or on its line ("Could
        // not be delivered to: <a@b>"), that delivery failed.
        var reporter = ReportingSystem.Of(message);
        if (blocks.Count == 0 || !(reporter is not null || FromMailSystem(message) || BounceWords().IsMatch($"{subject}\n{introduction}\n{blocks[0].Lines[0]}")))
        {
            return null;
        }

        if (blocks.Count > maxRecipients)
        {
            return FeedbackReport.Malformed(
                $"The bounce names more than {maxRecipients} recipients (Suppression:Feedback:MaxReportRecipients); none was read.", originalMessageId);
        }

        // A warning that delivery is still being tried (Sendmail's and Exim's "delayed", OpenSMTPD's
        // "only a temporary failure report", Gmail's "(Delay)") reports no failure, whatever its codes.
        var action = DelayWarning().IsMatch(subject + "\n" + introduction) ? "delayed" : "failed";
        var recipients = new List<FeedbackRecipient>();
        var problems = new List<string>();
        foreach (var block in blocks)
        {
            if (!ReportAddress.TryNormalize(block.Address, fromOrcpt: false, out var address, out var error))
            {
                problems.Add(error);
                continue;
            }

            var text = blocks.Count == 1 && !ServerReply.HasCode(block.Text) ? ReplyAbove(introduction) + " " + block.Text : block.Text;
            if (block.Lines.Count == 1 && block.Lines[0].Length <= block.Address.Length + 4)
            {
                text = block.Above + " " + text;
            }

            var diagnostic = ServerReply.WordsIn(text);
            DeliveryStatusCode? code = DeliveryStatusCode.TryFind(diagnostic, out var found) ? found : null;
            var outcome = BounceVerdict.Of(action, code, diagnostic, ServerReply.StageIn(text), address.Domain, reporter?.SaysRecipientUnknown(diagnostic) == true)
                ?? FeedbackOutcome.SoftBounce;
            recipients.Add(new FeedbackRecipient(address, outcome, action, code?.ToString(), diagnostic));
        }

        if (recipients.Count == 0)
        {
            return FeedbackReport.Malformed("The bounce names no readable recipient. " + string.Join(' ', problems), originalMessageId);
        }

        return new FeedbackReport
        {
            Kind = FeedbackKind.DeliveryStatus,
            Recipients = recipients,
            Reason = string.Join(' ', problems),
            OriginalMessageId = originalMessageId,
        };
    }

    // A notice about one recipient may quote the server's reply above the address (MailMarshal's
    // "Could not be delivered because of 550 5.1.1 User unknown. The following recipients were
    // affected:", Verizon's "Error message below: 550 ..."): the first paragraph that has a code.
    private static string ReplyAbove(string introduction) =>
        introduction.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(ServerReply.HasCode) ?? string.Empty;

    // RFC 3464 2 and RFC 5321 4.5.5: a bounce is sent with a null reverse-path, by the mail system
    // ("MAILER-DAEMON", "postmaster"); some add Auto-Submitted: auto-replied (RFC 3834 5).
    private static bool FromMailSystem(MimeMessage message) =>
        message.From.Mailboxes.Any(mailbox => MailSystemMailbox().IsMatch(mailbox.LocalPart ?? string.Empty))
        || message.Headers[HeaderId.ReturnPath]?.Trim() == "<>";

    [GeneratedRegex(@"^(mailer-?daemon|mail-?daemon|postmaster|mail ?delivery ?(subsystem|system)?|bounces?|mdaemon|nobody)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MailSystemMailbox();

    // What the notices of every format read here say before the first address, or in the subject.
    [GeneratedRegex(
        @"(could ?n[o']t|can ?n[o']t|unable to|failed to|wasn't able to) (be )?deliver|undeliver|not (be )?delivered|non.?delivery|did not reach|could not be reached"
        + @"|delivery (status notification|has failed|failed|failure|problems?|to the following)|failure notice|failed permanently|permanent (error|failure|fatal)"
        + @"|address(es)? failed|following (address|recipient)|returned mail|mail delivery|error (delivering|occurred)|trouble delivering|transcript of session"
        + @"|failure reasons|rejected|bounce",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex BounceWords();

    [GeneratedRegex(
        @"\bdelay(ed)?\b|has not (yet )?been delivered|not been delivered yet|will (continue to )?(re)?try|still (be )?(re)?trying|only a temporary failure"
        + @"|temporary failure report|this is a warning|warning message only|do not need to re-?send|delivery attempts will continue",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DelayWarning();
}
