using MimeKit;
using Suppression.Smtp.Feedback.PlainText;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Says what a mail received at a feedback address reports: a delivery status notification
/// (RFC 3464, or a plain-text bounce read by PlainTextBounceReader), an abuse report (RFC 5965),
/// or nothing this gateway reads. Pure: it reads the message and decides nothing about the store.
/// </summary>
public static class FeedbackReportParser
{
    // Reports arrive top-level, but a gateway that adds a disclaimer or a signature wraps them in
    // multipart/mixed or multipart/signed; a few levels are searched, never inside a returned message.
    private const int MaxNestingDepth = 4;

    /// <param name="maxRecipients">A report naming more recipients is malformed: none of them is read.</param>
    public static FeedbackReport Parse(MimeMessage message, int maxRecipients = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var report = FindReport(message.Body, MaxNestingDepth);
            if (report is null)
            {
                return PlainTextBounceReader.Read(message, message.Body, maxRecipients, ReturnedMessageId(message.Body)) ?? FeedbackReport.Unrecognized(
                    "The message has no multipart/report part (RFC 6522), so it is neither a delivery status notification "
                    + "nor an abuse report, and its text names no failed recipient in a bounce format this gateway reads "
                    + "(qmail, Exim, Sendmail, Exchange, Gmail, Yahoo, Amazon SES and others; see README, Bounces and complaints).");
            }

            // RFC 6522 3: report-type names the machine-readable part's subtype. When it is
            // missing or unknown, that part itself says which report this is.
            var reportType = report.ReportType?.Trim().ToLowerInvariant();
            var parsed = reportType switch
            {
                "delivery-status" or "global-delivery-status" => DeliveryStatusParser.Parse(report, maxRecipients, ReportingSystem.Of(message)),
                "feedback-report" => ComplaintReportParser.Parse(report, maxRecipients),
                _ when report.OfType<MessageDeliveryStatus>().Any() => DeliveryStatusParser.Parse(report, maxRecipients, ReportingSystem.Of(message)),
                _ when report.OfType<MessageFeedbackReport>().Any() => ComplaintReportParser.Parse(report, maxRecipients),
                "disposition-notification" or "global-disposition-notification" => FeedbackReport.Unrecognized(
                    "The report is a message disposition notification (a read receipt, RFC 8098), not a bounce or a complaint."),
                null or "" => FeedbackReport.Unrecognized("The multipart/report has no report-type and no delivery-status or feedback-report part."),
                _ => FeedbackReport.Unrecognized($"The report type '{reportType}' is neither delivery-status (RFC 3464) nor feedback-report (RFC 5965)."),
            };

            // A report without its machine-readable part (some MTAs send only the human-readable
            // notice and the original as a multipart/report) is still a bounce when its text says
            // which recipient failed and why.
            var readable = report.OfType<MessageDeliveryStatus>().Any() || report.OfType<MessageFeedbackReport>().Any()
                || reportType is "feedback-report" or "disposition-notification" or "global-disposition-notification";
            return parsed.Kind is FeedbackKind.Malformed or FeedbackKind.Unrecognized && !readable
                && PlainTextBounceReader.Read(message, report, maxRecipients, parsed.OriginalMessageId ?? ReturnedMessageId(report)) is { } plain
                ? plain
                : parsed;
        }
        catch (FormatException exception)
        {
            // MimeKit parses report parts lazily, so a broken part surfaces only when it is read.
            return FeedbackReport.Malformed($"A part of the report could not be parsed: {exception.Message}");
        }
    }

    // The copy a plain-text bounce returns as a message/rfc822 part, when it does.
    private static string? ReturnedMessageId(MimeEntity? body) =>
        body is Multipart multipart ? multipart.OfType<MessagePart>().Select(part => part.Message?.MessageId).FirstOrDefault(id => id is not null) : null;

    private static MultipartReport? FindReport(MimeEntity? entity, int depth) => entity switch
    {
        MultipartReport report => report,
        Multipart multipart when depth > 0 => multipart.Select(child => FindReport(child, depth - 1)).FirstOrDefault(found => found is not null),
        _ => null,
    };
}
