using System.Globalization;
using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// What one recipient's failure in a report amounts to (hard bounce, soft bounce, nothing), from its
/// action, status code, the remote server's words and, when known, the command they answered. Shared
/// by every report reader (RFC 3464 DSNs and plain-text bounces), so one table decides.
/// </summary>
internal static partial class BounceVerdict
{
    // RFC 3464 2.3.3: failed is final, delayed may still succeed, delivered, relayed and expanded
    // need nothing. A failure is a hard bounce only when BounceEvidence, the same decision table as
    // for the refusals the gateway sees itself, says the mailbox is gone from the Status code and the
    // Diagnostic-Code's reply code and words together: a "Status: 5.1.1" whose diagnostic says
    // "552 5.2.2 Over quota" or "blacklisted" is not. "failed" with a 4.X.X code is how Postfix and
    // others report giving up after retries; that and a failure without a readable code are soft.
    public static FeedbackOutcome? Of(
        string? action, DeliveryStatusCode? code, string? diagnostic, RefusalStage stage, string? recipientDomain = null, bool reporterSaysRecipientUnknown = false) => action switch
    {
        "failed" => ProvesMailboxGone(code, diagnostic, stage, recipientDomain, reporterSaysRecipientUnknown) ? FeedbackOutcome.HardBounce : FeedbackOutcome.SoftBounce,
        "delayed" => FeedbackOutcome.SoftBounce,
        "delivered" or "relayed" or "expanded" => FeedbackOutcome.None,

        // Missing or not one of the five: fall back on the code's class.
        _ => code switch
        {
            { IsPermanent: true } => ProvesMailboxGone(code, diagnostic, stage, recipientDomain, reporterSaysRecipientUnknown) ? FeedbackOutcome.HardBounce : FeedbackOutcome.SoftBounce,
            { IsTransient: true } => FeedbackOutcome.SoftBounce,
            { IsSuccess: true } => FeedbackOutcome.None,
            _ => null,
        },
    };

    // The Status field and the enhanced code quoted in the diagnostic can disagree (a relay's own
    // 5.1.1 over the remote server's "552 5.2.2"); both must prove the mailbox gone. A Status of
    // X.0.0 says nothing more than "failed" (RFC 3463 3.1: other or undefined), so it is the
    // remote server's own code that decides, as Courier's "5.0.0" over "550 5.1.1 ... User unknown".
    private static bool ProvesMailboxGone(DeliveryStatusCode? status, string? diagnostic, RefusalStage stage, string? recipientDomain, bool reporterSaysRecipientUnknown)
    {
        var replyCode = ReplyCode(diagnostic);
        if (!DeliveryStatusCode.TryFind(diagnostic, out var quoted) || quoted == status)
        {
            return BounceEvidence.Judge(replyCode, status, diagnostic, stage, recipientDomain, reporterSaysRecipientUnknown) == RefusalCause.MailboxGone;
        }

        var quotedProves = BounceEvidence.Judge(replyCode, quoted, diagnostic, stage, recipientDomain, reporterSaysRecipientUnknown) == RefusalCause.MailboxGone;
        return status is null or { Subject: 0, Detail: 0 }
            ? quotedProves
            : quotedProves && BounceEvidence.Judge(replyCode, status, diagnostic, stage, recipientDomain, reporterSaysRecipientUnknown) == RefusalCause.MailboxGone;
    }

    // The SMTP reply code a diagnostic of type smtp begins with (RFC 3464 2.3.6), e.g. "550 5.1.1 ...".
    private static int? ReplyCode(string? diagnostic)
    {
        var match = diagnostic is null ? null : LeadingReplyCode().Match(diagnostic);
        return match is { Success: true } ? int.Parse(match.Groups["code"].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^(?<code>[245][0-9][0-9])(?![0-9.])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex LeadingReplyCode();
}
