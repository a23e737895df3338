using System.Text.RegularExpressions;
using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Whether mail to a return path is someone's automatic answer (out of office, vacation, a read
/// receipt) rather than a bounce. RFC 3834 3.3 sends such answers to the return path, and some quote
/// the message they answer, the gateway's link with it; a mailbox that answers is working, so it
/// must never count as a bounce. Bounces carry <c>Auto-Submitted: auto-replied</c> too (Postfix's
/// do), so that field alone says nothing; the fields and subjects below are the responders'.
/// </summary>
internal static partial class AutoReply
{
    public static bool Is(MimeMessage? message) =>
        message is not null
        && (message.Headers.Contains("X-Autoreply")
            || message.Headers.Contains("X-Autorespond")
            || message.Headers.Contains("X-Vacation")
            || string.Equals(message.Headers[HeaderId.Precedence]?.Trim(), "auto_reply", StringComparison.OrdinalIgnoreCase)
            || ResponderSubject().IsMatch(message.Subject ?? string.Empty)
            || IsReadReceipt(message.Body));

    // RFC 8098 3 (and RFC 6533 for the global form): a disposition notification says the message was
    // displayed, deleted or otherwise handled by its recipient, never that it was not delivered.
    private static bool IsReadReceipt(MimeEntity? body) =>
        body is MultipartReport report
        && (string.Equals(report.ReportType, "disposition-notification", StringComparison.OrdinalIgnoreCase)
            || string.Equals(report.ReportType, "global-disposition-notification", StringComparison.OrdinalIgnoreCase));

    // Outlook and Exchange ("Automatic reply:", "Auto:"), Gmail and most webmail ("Out of office",
    // "Vacation", "Auto-reply"), and the German, French and Spanish forms the same products send.
    [GeneratedRegex(
        @"^\s*(automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|auto:|out of (the )?office|vacation|abwesenheit|r[ée]ponse automatique|absence|respuesta autom[áa]tica|fuera de la oficina)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ResponderSubject();
}
