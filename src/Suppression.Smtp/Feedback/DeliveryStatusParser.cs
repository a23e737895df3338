using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using Suppression.Addresses;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Reads an RFC 3464 delivery status notification: one <see cref="FeedbackRecipient"/> per
/// per-recipient group of the message/delivery-status part (or RFC 6533 message/global-delivery-status).
/// </summary>
internal static partial class DeliveryStatusParser
{
    /// <param name="reporter">The system that wrote the report, when its header fields say.</param>
    public static FeedbackReport Parse(MultipartReport report, int maxRecipients, ReportingSystem? reporter = null)
    {
        var originalMessageId = OriginalMessage.Find(report)?.MessageId;
        var status = report.OfType<MessageDeliveryStatus>().FirstOrDefault();
        if (status is null)
        {
            return FeedbackReport.Malformed(
                "The report says delivery-status but has no message/delivery-status part (RFC 3464 2).", originalMessageId);
        }

        if (EmptyLines(status) > maxRecipients)
        {
            return FeedbackReport.Malformed(
                $"The delivery-status part has more than {maxRecipients} recipient groups (Suppression:Feedback:MaxReportRecipients); none was read.", originalMessageId);
        }

        var recipients = new List<FeedbackRecipient>();
        var problems = new List<string>();

        // RFC 3464 2.1: the first group holds the per-message fields and each later group one
        // recipient's. Some MTAs leave the per-message group out, so a group is taken for a
        // recipient's by its fields, not its position. (MimeKit returns no groups at all when the
        // part does not begin with a field; that ends up as a malformed report below.)
        var groups = RecipientGroups.Of(status.StatusGroups).Select(AsHeaderList).Where(IsRecipientGroup).ToList();
        if (groups.Count > maxRecipients)
        {
            return FeedbackReport.Malformed(
                $"The delivery-status part has more than {maxRecipients} recipient groups (Suppression:Feedback:MaxReportRecipients); none was read.", originalMessageId);
        }

        var humanText = ReportText.HumanReadable(report);
        var reportingMta = status.StatusGroups.Select(group => group["Reporting-MTA"]).FirstOrDefault(value => value is not null);
        var everyAddress = groups.SelectMany(AddressesNamed).ToList();
        foreach (var group in groups)
        {
            var recipient = ReadRecipient(group, new ReportContext(humanText, everyAddress, groups.Count, reportingMta), reporter, problems);
            if (recipient is not null)
            {
                recipients.Add(recipient);
            }
        }

        if (recipients.Count == 0)
        {
            var reason = problems.Count == 0
                ? "The delivery-status part has no per-recipient fields (RFC 3464 2.3)."
                : string.Join(' ', problems);
            return FeedbackReport.Malformed(reason, originalMessageId);
        }

        return new FeedbackReport
        {
            Kind = FeedbackKind.DeliveryStatus,
            Recipients = recipients,
            Reason = string.Join(' ', problems),
            OriginalMessageId = originalMessageId,
        };
    }

    // Empty lines separate the groups (RFC 3464 2.1): after the per-message group, one per recipient
    // group at most. Counting them is one pass over the bytes; StatusGroups builds a header list for
    // every group first.
    private static int EmptyLines(MessageDeliveryStatus status)
    {
        if (status.Content is null)
        {
            return 0;
        }

        using var stream = status.Content.Open();
        var buffer = new byte[8192];
        var emptyLines = 0;
        var lineLength = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            foreach (var next in buffer.AsSpan(0, read))
            {
                if (next == (byte)'\n')
                {
                    emptyLines += lineLength == 0 ? 1 : 0;
                    lineLength = 0;
                }
                else if (next != (byte)'\r')
                {
                    lineLength++;
                }
            }
        }

        return emptyLines;
    }

    private static bool IsRecipientGroup(HeaderList group) =>
        group.Contains("Final-Recipient") || group.Contains("Original-Recipient")
        || group.Contains("Action") || group.Contains("Status");

    private static FeedbackRecipient? ReadRecipient(HeaderList group, ReportContext report, ReportingSystem? reporter, List<string> problems)
    {
        if (!TryReadAddress(group, out var address, out var addressProblem))
        {
            problems.Add(addressProblem);
            return null;
        }

        var action = FirstToken(group["Action"])?.ToLowerInvariant();
        var diagnosticField = group["Diagnostic-Code"];
        var diagnostic = ReadDiagnostic(diagnosticField);
        var statusText = group["Status"];
        DeliveryStatusCode? code = null;
        if (DeliveryStatusCode.TryParse(statusText, out var parsed))
        {
            code = parsed;
        }
        else
        {
            // Status is required (RFC 3464 2.3.4); when it is missing or garbled, the enhanced code
            // the receiving server sent is usually still in the quoted SMTP reply.
            problems.Add(string.IsNullOrWhiteSpace(statusText)
                ? $"{address}: no Status field."
                : $"{address}: Status '{statusText.Trim()}' is not an RFC 3463 code.");
            if (DeliveryStatusCode.TryFind(diagnostic, out var found))
            {
                code = found;
            }
        }

        var (stage, words) = report.About(AddressesNamed(group).ToList(), diagnostic);
        var reporterSaysRecipientUnknown = PowerMtaBounceCategory.SaysRecipientUnknown(group) || reporter?.SaysRecipientUnknown(words) == true;
        var outcome = BounceVerdict.Of(action, code, words, stage, address.Domain, reporterSaysRecipientUnknown);
        if (outcome is null)
        {
            problems.Add($"{address}: neither Action nor Status says what happened.");
        }

        // RFC 3464 2.3.6: an X-UNIX diagnostic is a local delivery program's exit (procmail, a
        // pipe), which says nothing a remote server decided about the mailbox (sisimai: mailererror).
        // And the report's own words can veto one (ReportContext.ContradictsMailboxGone).
        if (outcome == FeedbackOutcome.HardBounce && (DiagnosticTypeOf(diagnosticField) == "x-unix" || report.ContradictsMailboxGone()))
        {
            outcome = FeedbackOutcome.SoftBounce;
        }

        return new FeedbackRecipient(address, outcome ?? FeedbackOutcome.None, action, code?.ToString(), diagnostic);
    }

    // The addresses a group names, as written, to find the human-readable lines about it.
    private static IEnumerable<string> AddressesNamed(HeaderList group) =>
        new[] { RawValue(group, "Original-Recipient"), RawValue(group, "Final-Recipient") }
            .Where(value => value is not null)
            .Select(value => value!.Split(';', 2) is [_, var address] ? address.Trim().Trim('<', '>') : value!.Trim('<', '>'))
            .Where(address => address.Contains('@', StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static HeaderList AsHeaderList(List<Header> headers)
    {
        var list = new HeaderList();
        headers.ForEach(list.Add);
        return list;
    }

    private static string? DiagnosticTypeOf(string? field)
    {
        var semicolon = field?.IndexOf(';', StringComparison.Ordinal) ?? -1;
        return semicolon > 0 && DiagnosticType().IsMatch(field.AsSpan(0, semicolon)) ? field![..semicolon].Trim().ToLowerInvariant() : null;
    }

    // Original-Recipient, when present, is the address the sender gave (the ORCPT, RFC 3461 6.3 d),
    // so the one on our list; Final-Recipient may be what a remote alias or forward rewrote it to,
    // and suppressing that would leave the listed address bouncing. Final-Recipient is required
    // (RFC 3464 2.3.2) and is used when there is no readable Original-Recipient.
    private static bool TryReadAddress(HeaderList group, out NormalizedAddress address, out string problem)
    {
        var original = RawValue(group, "Original-Recipient");
        var final = RawValue(group, "Final-Recipient");
        address = default;
        if (original is null && final is null)
        {
            problem = "A per-recipient group has neither Final-Recipient nor Original-Recipient (RFC 3464 2.3.2).";
            return false;
        }

        var error = string.Empty;
        if ((original is not null && ReportAddress.TryNormalize(original, fromOrcpt: true, out address, out error))
            || (final is not null && ReportAddress.TryNormalize(final, fromOrcpt: false, out address, out error)))
        {
            problem = string.Empty;
            return true;
        }

        problem = $"A per-recipient group names no readable recipient: {error}";
        return false;
    }

    // An address is an address: HeaderList's indexer decodes RFC 2047 encoded words, which RFC 2047
    // section 5 forbids inside an addr-spec, and "=?utf-8?B?8J+QiPCfkIg=?=@example.org" decoded is
    // another mailbox. The field's own octets are read instead (UTF-8 for RFC 6533 reports), unfolded.
    private static string? RawValue(HeaderList group, string field)
    {
        var index = group.IndexOf(field);
        return index < 0 ? null : Folding().Replace(Encoding.UTF8.GetString(group[index].RawValue), string.Empty).Trim();
    }

    // RFC 3464 2.3.6: diagnostic-type ";" text, e.g. "smtp; 550 5.1.1 ...". The type is dropped and
    // folded lines are joined, so the text reads as the server's reply.
    private static string? ReadDiagnostic(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        var text = semicolon > 0 && DiagnosticType().IsMatch(field.AsSpan(0, semicolon)) ? field[(semicolon + 1)..] : field;
        text = Iso2022JpText.Decode(text);
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length == 0 ? null : text;
    }

    private static string? FirstToken(string? value)
    {
        var token = value?.Trim().Split([' ', '\t', '(', ';'], 2)[0];
        return string.IsNullOrEmpty(token) ? null : token;
    }

    [GeneratedRegex(@"^\s*[A-Za-z][A-Za-z0-9-]*\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DiagnosticType();

    [GeneratedRegex(@"\r?\n(?=[ \t])|\r?\n$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Folding();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
