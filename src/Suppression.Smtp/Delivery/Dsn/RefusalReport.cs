using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Suppression.Smtp.Delivery.Dsn;

/// <summary>
/// The RFC 3464 delivery status notification the gateway sends to a message's envelope sender for
/// the recipients the upstream refused, once it has answered 250 for the others: the report it owes
/// as the MTA that took responsibility for the message (RFC 5321 6.1).
/// </summary>
internal static class RefusalReport
{
    /// <param name="reportingMta">The gateway's host name.</param>
    /// <param name="remoteMta">The upstream's host name, when it is a host (not the pickup directory).</param>
    /// <param name="originalHeaders">The refused message's header section as the client sent it.</param>
    public static MimeMessage Create(
        string reportingMta, string? remoteMta, string envelopeSender, DateTimeOffset arrival, IReadOnlyList<RefusedCopy> refused, HeaderList originalHeaders, DateTimeOffset now)
    {
        var report = new MultipartReport("delivery-status")
        {
            HumanReadable(reportingMta, refused),
            DeliveryStatus(reportingMta, remoteMta, arrival, refused, now),

            // RFC 3464 2 (RFC 6522 3): the third part returns the original; its headers are enough
            // to say which message this was, and the body is not the gateway's to send elsewhere.
            new TextRfc822Headers { Message = new MimeMessage(originalHeaders) },
        };

        var dsn = new MimeMessage { Date = now, Subject = "Undelivered Mail Returned to Sender", Body = report };
        dsn.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@" + reportingMta));
        dsn.To.Add(MailboxAddress.TryParse(ParserOptions.Default, envelopeSender, out var sender) ? sender : new MailboxAddress(string.Empty, envelopeSender));
        dsn.MessageId = MimeUtils.GenerateMessageId(reportingMta);

        // RFC 3834 5: an automatic response, so that no vacation responder answers it.
        dsn.Headers.Add("Auto-Submitted", "auto-replied");
        return dsn;
    }

    private static TextPart HumanReadable(string reportingMta, IReadOnlyList<RefusedCopy> refused)
    {
        var text = new StringBuilder()
            .Append("This is the mail system at host ").Append(reportingMta).Append(".\r\n\r\n")
            .Append("Your message could not be delivered to the recipient(s) below: the mail server it\r\n")
            .Append("was relayed to refused it for them. Copies to any other recipient are not affected.\r\n\r\n");
        foreach (var copy in refused)
        {
            text.Append('<').Append(copy.Recipient.Mailbox).Append(">: ").Append(Diagnostic(copy)).Append("\r\n");
        }

        var part = new TextPart("plain") { Text = text.ToString() };
        part.ContentType.Charset = "utf-8";
        return part;
    }

    private static MessageDeliveryStatus DeliveryStatus(string reportingMta, string? remoteMta, DateTimeOffset arrival, IReadOnlyList<RefusedCopy> refused, DateTimeOffset now)
    {
        var status = new MessageDeliveryStatus();

        // RFC 3464 2.2: the per-message fields, then one group per recipient (2.3).
        status.StatusGroups.Add(new HeaderList
        {
            { "Reporting-MTA", "dns; " + reportingMta },
            { "Arrival-Date", DateUtils.FormatDate(arrival) },
        });
        foreach (var copy in refused)
        {
            var group = new HeaderList();
            var mailbox = copy.Recipient.Mailbox;
            if (mailbox.All(char.IsAscii))
            {
                // The gateway rewrites no address: the one relayed is the one the sender gave.
                group.Add("Original-Recipient", "rfc822;" + XText(mailbox));
                group.Add("Final-Recipient", "rfc822;" + mailbox);
            }
            else
            {
                group.Add("Final-Recipient", "utf-8;" + EmbeddedUnicode(mailbox));
            }

            group.Add("Action", "failed");
            group.Add("Status", StatusCode(copy));
            if (remoteMta is not null)
            {
                group.Add("Remote-MTA", "dns; " + remoteMta);
            }

            group.Add("Diagnostic-Code", "smtp; " + Diagnostic(copy));
            group.Add("Last-Attempt-Date", DateUtils.FormatDate(now));
            status.StatusGroups.Add(group);
        }

        return status;
    }

    /// <summary>The upstream's enhanced code when it gave a permanent one (RFC 3463), else 5.0.0.</summary>
    public static string StatusCode(RefusedCopy copy)
    {
        var enhanced = UpstreamText.Clean(copy.Result.Text).EnhancedCode;
        return enhanced is ['5', ..] ? enhanced : "5.0.0";
    }

    // RFC 3464 2.3.6: the upstream's reply as it gave it, on one printable line.
    private static string Diagnostic(RefusedCopy copy)
    {
        var (enhanced, text) = UpstreamText.Clean(copy.Result.Text);
        var reply = new StringBuilder().Append(copy.Result.Code.ToString(CultureInfo.InvariantCulture));
        if (enhanced is not null)
        {
            reply.Append(' ').Append(enhanced);
        }

        return text.Length == 0 ? reply.ToString() : reply.Append(' ').Append(text).ToString();
    }

    // RFC 3461 4: the ORCPT value is xtext, so '+', '=' and anything outside '!'..'~' become "+XX".
    private static string XText(string mailbox)
    {
        var builder = new StringBuilder(mailbox.Length);
        foreach (var c in mailbox)
        {
            if (c is < '!' or > '~' or '+' or '=')
            {
                builder.Append('+').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // RFC 6533 3: in the 7-bit delivery-status part a non-ASCII address is written with "\x{HEX}".
    private static string EmbeddedUnicode(string mailbox)
    {
        var builder = new StringBuilder(mailbox.Length);
        foreach (var rune in mailbox.EnumerateRunes())
        {
            if (rune.IsAscii && rune.Value is > 0x20 and not 0x5C)
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                builder.Append("\\x{").Append(rune.Value.ToString("X", CultureInfo.InvariantCulture)).Append('}');
            }
        }

        return builder.ToString();
    }
}
