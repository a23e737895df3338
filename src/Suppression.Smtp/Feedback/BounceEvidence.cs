using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Decides, precision first, whether a remote server's refusal proves that the mailbox is gone:
/// the reply code, the RFC 3463 enhanced code and the text together. A suppression made on a wrong
/// call blocks a working mailbox from all mail, so anything that blames the message, the sender,
/// the sending host or the moment (full, policy, reputation, blocklists, rate limits, content,
/// expiry, DNS) wins over a mailbox code, and anything not understood is not a hard bounce.
/// Used for replies the gateway sees itself from its upstream; shaped for a report's Status and
/// Diagnostic-Code as well.
/// </summary>
internal static partial class BounceEvidence
{
    /// <param name="replyCode">The SMTP reply code, when there is one (RFC 5321 4.2).</param>
    /// <param name="status">The enhanced code (RFC 3463); when null, the first one in <paramref name="text"/> is used.</param>
    /// <param name="text">The server's words.</param>
    /// <param name="stage">The command the refusal answered, when known.</param>
    public static RefusalCause Judge(int? replyCode, DeliveryStatusCode? status, string? text, RefusalStage stage = RefusalStage.Unknown)
    {
        text ??= string.Empty;
        if (status is null && DeliveryStatusCode.TryFind(text, out var found))
        {
            status = found;
        }

        // RFC 5321 4.2.1: a 4yz reply is transient whatever it says; so is a 4.x.x code (RFC 3463 3.1).
        if (replyCode is < 500 || status is { IsPermanent: false })
        {
            return RefusalCause.Transient;
        }

        if (ContradictionIn(status, text) is { } contradiction)
        {
            return contradiction;
        }

        return status switch
        {
            // X.1.1 bad destination mailbox, X.1.2 bad destination system (RFC 3463 3.2), X.1.6
            // mailbox moved with no forwarding address, X.1.10 null MX (RFC 7505 4.2; Microsoft 365
            // sends it for a recipient not found).
            { Subject: 1, Detail: 1 or 2 or 6 or 10 } => RefusalCause.MailboxGone,

            // X.2.1 mailbox disabled (RFC 3463 3.3) is also sent for rate limits and temporary
            // holds, so only with words that say the mailbox is closed.
            { Subject: 2, Detail: 0 or 1 } => DisabledMailbox().IsMatch(text) || MailboxGonePhrase().IsMatch(text) ? RefusalCause.MailboxGone : RefusalCause.NotUnderstood,

            // X.0.0 other, X.1.0 other address status, or no enhanced code at all: only the words can tell.
            null or { Subject: 0 } or { Subject: 1, Detail: 0 } => MailboxGonePhrase().IsMatch(text) ? RefusalCause.MailboxGone : RefusalCause.NotUnderstood,
            _ => RefusalCause.NotUnderstood,
        };
    }

    private static RefusalCause? ContradictionIn(DeliveryStatusCode? status, string text)
    {
        // Mailbox full is no proof of anything but a full mailbox, whatever the code (RFC 3463 3.3: X.2.2).
        if (status is { Subject: 2, Detail: 2 } || MailboxFull().IsMatch(text))
        {
            return RefusalCause.MailboxFull;
        }

        // X.1.7 bad sender mailbox syntax, X.1.8 bad sender system address (RFC 3463 3.2).
        if (status is { Subject: 1, Detail: 7 or 8 } || SenderBlamed().IsMatch(text))
        {
            return RefusalCause.SenderRejected;
        }

        if (status is { Subject: 7 } || PolicyOrReputation().IsMatch(text))
        {
            return RefusalCause.Policy;
        }

        if (RateLimit().IsMatch(text))
        {
            return RefusalCause.RateLimited;
        }

        if (status is { Subject: 6 } || status is { Subject: 3, Detail: 4 } || ContentRejected().IsMatch(text))
        {
            return RefusalCause.Content;
        }

        if (status is { Subject: 4, Detail: 7 } || ExpiredMessage().IsMatch(text))
        {
            return RefusalCause.Expired;
        }

        if (status is { Subject: 4 } || RoutingFailure().IsMatch(text))
        {
            return RefusalCause.Routing;
        }

        return TemporaryWords().IsMatch(text) ? RefusalCause.Transient : null;
    }

    // "mailbox unavailable" is left out on purpose: it is RFC 5321's stock text for any 550.
    [GeneratedRegex(
        @"user(name)? unknown|unknown (user|local[- ]?part|recipient|mailbox|address(ee)?|account)|(recipient|addressee|mailbox) unknown"
        + @"|no such (user|mailbox|recipient|account|address|person|local user)|(does ?n[o']?t|doesn't|do not) exist|not exists?\b"
        + @"|(user|mailbox|recipient|account|address|domain|host) (was )?not found|recipientnotfound|recipnotfound"
        + @"|invalid (recipient|mailbox|user|address)|not a valid (user|mailbox|recipient|address)|unknown or illegal alias"
        + @"|(doesn't|does not) have an? [a-z0-9.-]+ account|bad destination (mailbox|system)"
        + @"|(mailbox|account|address) (is |has been )?(disabled|deactivated|closed|inactive|discontinued|terminated|deleted|removed)"
        + @"|no longer (active|exists|in use|valid|available)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MailboxGonePhrase();

    [GeneratedRegex(@"disabled|deactivated|inactive|closed|discontinued|terminated|no longer",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DisabledMailbox();

    [GeneratedRegex(
        @"(mailbox|inbox|mail ?box|account|disk|storage)( is)? full|full (mailbox|inbox)|over ?quota|quota|insufficient (system )?storage"
        + @"|mailbox size|out of (disk )?space|(storage|space) (limit|exceeded)|exceeded (its |the )?(storage|space)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MailboxFull();

    [GeneratedRegex(
        @"sender (address |domain )?(rejected|refused|denied|unknown|invalid|not found)|sender verif|verification failed|sender domain|(from|sender|return) address|envelope sender",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SenderBlamed();

    [GeneratedRegex(
        @"black ?list|block ?list|deny ?list|\blisted\b|spamhaus|spamcop|barracudacentral|\bsorbs\b|\brbl\b|\bdnsbl\b|reputation|polic(y|ies)"
        + @"|\bspf\b|dmarc|\bdkim\b|authenticat|\bblocked\b|\bbanned\b|access denied|relay(ing)? (access )?(denied|not permitted|prohibited)"
        + @"|not (allowed|permitted|authori[sz]ed)|prohibited|refused to talk|\bptr\b|reverse dns|rdns|\bhelo\b|\behlo\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PolicyOrReputation();

    [GeneratedRegex(@"\brate\b|rate.?limit|too many|throttl|too fast|slow down|limit exceeded|exceeded .{0,30}limit|frequency",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RateLimit();

    [GeneratedRegex(@"\bspam|virus|malware|phish|content|suspicious|unsolicited|attachment|message (was |has been )?(rejected|refused|blocked)|too (large|big|long)|size",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ContentRejected();

    [GeneratedRegex(@"expired|timed? ?out|too old|retry time|delivery time",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExpiredMessage();

    [GeneratedRegex(@"\bdns\b|name service|servfail|lookup (failed|error|failure)|unrouteable|unroutable|no route|routing|mail loop|loops? (back|detected)|connection (refused|reset|closed)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RoutingFailure();

    [GeneratedRegex(@"try again|temporar(y|ily)|later",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TemporaryWords();
}
