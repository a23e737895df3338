using System.Net;
using MimeKit;
using MimeKit.Utils;
using Suppression.Addresses;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Reads an RFC 5965 Abuse Reporting Format report, as feedback loops (Yahoo, AOL, Microsoft
/// JMRP, Comcast and others) send them: who received the reported mail and what kind of report it is.
/// </summary>
internal static class ComplaintReportParser
{
    public static FeedbackReport Parse(MultipartReport report, int maxRecipients)
    {
        var original = OriginalMessage.Find(report);
        var feedback = report.OfType<MessageFeedbackReport>().FirstOrDefault();
        if (feedback is null)
        {
            return FeedbackReport.Malformed(
                "The report says feedback-report but has no message/feedback-report part (RFC 5965 2).", original?.MessageId);
        }

        var fields = feedback.Fields;
        var feedbackType = fields["Feedback-Type"]?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(feedbackType))
        {
            return FeedbackReport.Malformed("The feedback report has no Feedback-Type (RFC 5965 3.1).", original?.MessageId);
        }

        var details = ReadDetails(fields, feedbackType);
        var outcome = Classify(feedbackType);
        var problems = new List<string>();
        var envelopeCount = fields.Count(field => field.Field.Equals("Original-Rcpt-To", StringComparison.OrdinalIgnoreCase));
        if (envelopeCount > maxRecipients)
        {
            return FeedbackReport.Malformed(
                $"The feedback report names {envelopeCount} recipients in Original-Rcpt-To, more than {maxRecipients} (Suppression:Feedback:MaxReportRecipients); none was read.",
                original?.MessageId) with { Complaint = details };
        }

        var addresses = ReadRecipients(fields, original, problems);
        if (addresses.Count == 0)
        {
            return FeedbackReport.Malformed(string.Join(' ', problems), original?.MessageId) with { Complaint = details };
        }

        return new FeedbackReport
        {
            Kind = FeedbackKind.Complaint,
            Recipients = [.. addresses.Select(address => new FeedbackRecipient(address, outcome))],
            Reason = string.Join(' ', problems),
            OriginalMessageId = original?.MessageId,
            OriginalListUnsubscribe = original?.Headers[HeaderId.ListUnsubscribe],
            Complaint = details,
        };
    }

    // RFC 5965 7.3 registers abuse, fraud, other and virus; RFC 6430 adds not-spam and RFC 6591
    // auth-failure. "abuse" is the spam button. "fraud" is the phishing button (Gmail, Yahoo and
    // Outlook all offer it next to spam): the recipient says the mail was unwanted and worse, and a
    // complaint only stops marketing mail, so treating it as one costs little and keeps mailing
    // someone who called it phishing off the list. "virus" and "auth-failure" are about the
    // message's content or authentication, "not-spam" is the opposite of consent withdrawn, and
    // "other" says nothing definite, so none of them suppresses.
    private static FeedbackOutcome Classify(string feedbackType) => feedbackType switch
    {
        "abuse" or "fraud" => FeedbackOutcome.Complaint,
        _ => FeedbackOutcome.None,
    };

    // Original-Rcpt-To (RFC 5965 3.2) is the envelope recipient and may repeat. Without it, the
    // returned message's To names the complainant only when it names one mailbox: with several,
    // the report does not say which of them pressed the button, and a complaint against the others
    // would be invented.
    private static List<NormalizedAddress> ReadRecipients(HeaderList fields, MimeMessage? original, List<string> problems)
    {
        var addresses = new List<NormalizedAddress>();

        // A set beside the list: List.Contains made de-duplication quadratic (60,000 fields: 7.5 s).
        var seen = new HashSet<NormalizedAddress>();
        var envelope = fields.Where(field => field.Field.Equals("Original-Rcpt-To", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var field in envelope)
        {
            if (AddressNormalizer.TryNormalize(field.Value, out var address, out var error))
            {
                if (seen.Add(address))
                {
                    addresses.Add(address);
                }
            }
            else
            {
                problems.Add($"Original-Rcpt-To '{field.Value.Trim()}' is not an address: {error}");
            }
        }

        if (envelope.Count > 0)
        {
            return addresses;
        }

        var to = original?.To.Mailboxes.ToList() ?? [];
        var problem = string.Empty;
        if (to.Count == 1 && AddressNormalizer.TryNormalize(to[0].Address, out var only, out problem))
        {
            addresses.Add(only);
        }
        else
        {
            problems.Add(original is null
                ? "The feedback report has no Original-Rcpt-To and no returned message to find the recipient in (RFC 5965 2, 3.2)."
                : to.Count switch
                {
                    0 => "The feedback report has no Original-Rcpt-To and the returned message has no To address.",
                    1 => $"The returned message's To '{to[0].Address}' is not an address: {problem}",
                    _ => $"The feedback report has no Original-Rcpt-To and the returned message is addressed to {to.Count} mailboxes, so it does not say who complained.",
                });
        }

        return addresses;
    }

    private static ComplaintDetails ReadDetails(HeaderList fields, string feedbackType)
    {
        // Arrival-Date is RFC 5965 3.2's name; the pre-RFC draft (still sent by Yahoo and AOL)
        // called it Received-Date.
        var arrival = fields["Arrival-Date"] ?? fields["Received-Date"];
        DateTimeOffset? arrivalDate = arrival is not null && DateUtils.TryParse(arrival, out var date) ? date : null;
        var sourceIp = fields["Source-IP"]?.Trim();
        return new ComplaintDetails(
            feedbackType,
            Trimmed(fields["User-Agent"]),
            Trimmed(fields["Version"]),
            Trimmed(fields["Original-Mail-From"]),
            IPAddress.TryParse(sourceIp, out var ip) ? ip : null,
            arrivalDate,
            [.. fields.Where(field => field.Field.Equals("Reported-Domain", StringComparison.OrdinalIgnoreCase))
                .Select(field => field.Value.Trim())
                .Where(domain => domain.Length > 0)]);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
