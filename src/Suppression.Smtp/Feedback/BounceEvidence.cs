using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// Decides, precision first, whether a remote server's refusal proves that the mailbox or its
/// domain is gone: the reply code, the RFC 3463 enhanced code, the text and the command it answered
/// together. A suppression made on a wrong call blocks a working mailbox from all mail, so anything
/// that blames the message, the sender, the sending host, the recipient's own filters, a suspended
/// account or the moment wins over mailbox words, and anything not understood is not a hard bounce.
/// The order follows sisimai's (lib/Sisimai/Reason.pm, UserUnknown.pm): the causes it checks
/// before UserUnknown come first. Used for the replies the gateway sees itself and for every report.
/// </summary>
internal static partial class BounceEvidence
{
    /// <param name="replyCode">The SMTP reply code, when there is one (RFC 5321 4.2).</param>
    /// <param name="status">The enhanced code (RFC 3463); when null, the first one in <paramref name="text"/> is used.</param>
    /// <param name="text">The server's words.</param>
    /// <param name="stage">The command the refusal answered, when known.</param>
    /// <param name="recipientDomain">The refused recipient's domain, for the providers whose words mean something of their own.</param>
    /// <param name="reporterSaysRecipientUnknown">The system that wrote the report says, in its own terms, that it
    /// found no such recipient (<see cref="ReportingSystem"/>, <see cref="PowerMtaBounceCategory"/>).</param>
    public static RefusalCause Judge(
        int? replyCode, DeliveryStatusCode? status, string? text, RefusalStage stage = RefusalStage.Unknown, string? recipientDomain = null,
        bool reporterSaysRecipientUnknown = false)
    {
        text ??= string.Empty;
        if (status is null && DeliveryStatusCode.TryFind(text, out var found))
        {
            status = found;
        }

        // Servers quote the recipient in their reply, and an address is not words: a mailbox called
        // "listed-offers@..." or "spam-desk@..." must not read as a blocklist or a spam refusal. The
        // stand-in keeps the reply's shape ("<u@h>: User unknown") and makes no phrase of its own.
        text = MailAddress().Replace(text, "u@h");

        // RFC 5321 4.2.1: a 4yz reply is transient whatever it says; so is a 4.x.x code (RFC 3463 3.1).
        if (replyCode is < 500 || status is { IsPermanent: false })
        {
            return RefusalCause.Transient;
        }

        // Refused before any recipient was named (RFC 5321 3.3): whatever it says, it is not about one.
        if (stage is RefusalStage.Connection or RefusalStage.Greeting)
        {
            return RefusalCause.Policy;
        }

        if (stage is RefusalStage.MailFrom)
        {
            return RefusalCause.SenderRejected;
        }

        var words = Words().Replace(text, " ").ToLowerInvariant();
        return ProviderRule(status, words, stage, recipientDomain)
            ?? OtherCause(replyCode, status, text, words, stage)
            ?? MailboxEvidence(replyCode, status, words, stage, reporterSaysRecipientUnknown);
    }

    // Microsoft documents these two for a recipient that does not exist (Exchange Online NDR
    // 5.4.1, Directory-Based Edge Blocking; Outlook.com 5.5.0), texts that elsewhere would be a
    // policy refusal ("access denied") or RFC 5321's stock 550 words; as sisimai's Rhost/Microsoft.pm.
    // Yahoo and AOL refuse an unknown user after DATA with "554 delivery error: dd This user doesn't
    // have a yahoo.com account" (sisimai's Rhost/YahooInc.pm), so there the stage does not matter.
    // Exchange 2000/2003 writes its own directory's answer as an IMS code, 000C05A6 "Unknown
    // Recipient" (sisimai's Lhost/Exchange2003.pm), and Lotus Domino/Notes "not listed in Domino
    // Directory" or "in public Name & Address Book" (Lhost/Domino.pm, Notes.pm): the final server's
    // own directory lookup, not a filter.
    //
    // au (KDDI, ezweb.ne.jp) answers "550 <address>: User unknown" for a mailbox it does not have and
    // "550 : User unknown", no address, when the recipient's own filter refuses the sender (sisimai's
    // Rhost/KDDI.pm). Orange and La Poste number their replies, and 416 is "Invalid recipient", their
    // answer to RCPT TO whatever a pipelining client's transcript shows (Rhost/FrancePTT.pm,
    // postmastery.com's Orange error codes).
    private static RefusalCause? ProviderRule(DeliveryStatusCode? status, string words, RefusalStage stage, string? recipientDomain) => status switch
    {
        _ when IsKddi(recipientDomain) && words.Contains(">: user unknown", StringComparison.Ordinal) => RefusalCause.MailboxGone,
        _ when IsKddi(recipientDomain) && words.Contains("550 : user unknown", StringComparison.Ordinal) => RefusalCause.Filtered,
        _ when OrangeInvalidRecipient().IsMatch(words) => RefusalCause.MailboxGone,
        _ when words.Contains("delivery error: dd this user doesn't have a", StringComparison.Ordinal) => RefusalCause.MailboxGone,
        // Exchange's own directory resolver names the recipient it could not find (Microsoft's NDR
        // reference for 5.1.10 and 5.1.1: RESOLVER.ADR.RecipientNotFound, RecipNotFound, ExRecipNotFound).
        _ when ExchangeResolver().IsMatch(words) => RefusalCause.MailboxGone,
        _ when words.Contains("msexch:ims", StringComparison.Ordinal) && words.Contains("(000c05a6)", StringComparison.Ordinal) => RefusalCause.MailboxGone,
        _ when DominoDirectory.Matches(words) => RefusalCause.MailboxGone,
        // Both are RCPT TO answers; after DATA the same words are someone else's filter.
        { Subject: 4, Detail: 1 } when stage != RefusalStage.Data
            && words.Contains("recipient address rejected: access denied", StringComparison.Ordinal) => RefusalCause.MailboxGone,
        { Subject: 5, Detail: 0 } when stage != RefusalStage.Data
            && words.Contains("requested action not taken: mailbox unavailable", StringComparison.Ordinal) => RefusalCause.MailboxGone,
        _ => null,
    };

    private static RefusalCause? OtherCause(int? replyCode, DeliveryStatusCode? status, string text, string words, RefusalStage stage)
    {
        // Mailbox full is no proof of anything but a full mailbox, whatever the code (RFC 3463 3.3: X.2.2).
        if (status is { Subject: 2, Detail: 2 } || CausePhrases.MailboxFull.Matches(words) || MailboxFull().IsMatch(text))
        {
            return RefusalCause.MailboxFull;
        }

        // X.2.3 message length exceeds administrative limit, X.3.4 message too big (RFC 3463 3.3, 3.4).
        if (status is { Subject: 2, Detail: 3 } or { Subject: 3, Detail: 4 } || CausePhrases.MessageTooBig.Matches(words))
        {
            return RefusalCause.Content;
        }

        // A disabled or suspended account may come back. 525 is "user account disabled" (RFC 4954 6),
        // X.7.13 its enhanced code (RFC 3463 as updated by RFC 5248).
        if (replyCode == 525 || status is { Subject: 7, Detail: 13 } || CausePhrases.Suspended.Matches(words))
        {
            return RefusalCause.Suspended;
        }

        // X.1.7 bad sender mailbox syntax, X.1.8 bad sender system address (RFC 3463 3.2).
        if (status is { Subject: 1, Detail: 7 or 8 } || CausePhrases.SenderRejected.Matches(words) || SenderBlamed().IsMatch(text))
        {
            return RefusalCause.SenderRejected;
        }

        var policyWords = CausePhrases.NoRelaying.Matches(words) || CausePhrases.AuthFailure.Matches(words)
            || CausePhrases.Blocked.Matches(words) || PolicyOrReputation().IsMatch(text);
        if (policyWords || (status is { Subject: 7 } && !(status is { Detail: 0 or 1 } && RecipientUnknownAtRcpt(words, stage))))
        {
            return RefusalCause.Policy;
        }

        if (CausePhrases.Filtered.Matches(words))
        {
            return RefusalCause.Filtered;
        }

        if (RateLimit().IsMatch(text))
        {
            return RefusalCause.RateLimited;
        }

        if (status is { Subject: 6 } || ContentRejected().IsMatch(text))
        {
            return RefusalCause.Content;
        }

        return status is { Subject: 4, Detail: 7 } || ExpiredMessage().IsMatch(text) ? RefusalCause.Expired : null;
    }

    // Servers that check mailboxes at RCPT TO also answer a missing one under X.7.1 ("550 5.7.1 No
    // such user", Google; "554 5.7.1 ... Nonexistent user"): that generic code (or X.7.0) with words
    // that name a missing mailbox and no policy words, in answer to RCPT TO, is read by its words, as
    // sisimai does (its UserUnknown is checked before the X.7 status's own reason). The specific
    // X.7.x codes (SPF, DMARC, reverse DNS, ...) say what they refuse and stay policy.
    private static bool RecipientUnknownAtRcpt(string words, RefusalStage stage) =>
        stage == RefusalStage.RcptTo && MailboxPhrases.UserUnknown.Matches(words);

    private static RefusalCause MailboxEvidence(int? replyCode, DeliveryStatusCode? status, string words, RefusalStage stage, bool reporterSaysRecipientUnknown)
    {
        // A failed lookup is not an answer: the domain may well exist.
        var lookupFailed = MailboxPhrases.NetworkError.Matches(words) || TemporaryWords().IsMatch(words);

        // RFC 7505 4.2: a null MX ("556 5.1.10") says the domain takes no mail at all, as does a
        // server's "521 Host does not accept mail" (RFC 7504 3).
        // Exchange writes X.1.10 for its own "Recipient not found" as well (RESOLVER.ADR.RecipientNotFound):
        // those words are read as any other missing-recipient words, by the command they answered.
        var nullMxCode = status is { Subject: 1, Detail: 10 } && !MailboxPhrases.UserUnknown.Matches(words);
        if ((replyCode is 521 or 556 || nullMxCode || MailboxPhrases.NullMx.Matches(words)) && !lookupFailed)
        {
            return RefusalCause.MailboxGone;
        }

        // X.1.2 bad destination system address (RFC 3463 3.2); X.4.4 unable to route, which RFC 3463
        // 3.5 gives for a domain DNS has no mail route for; or words that say the domain does not exist.
        if ((status is { Subject: 1, Detail: 2 } or { Subject: 4, Detail: 4 } || MailboxPhrases.HostUnknown.Matches(words)) && !lookupFailed)
        {
            return RefusalCause.MailboxGone;
        }

        if (TemporaryWords().IsMatch(words))
        {
            return RefusalCause.Transient;
        }

        if (status is { Subject: 4 } || lookupFailed || RoutingFailure().IsMatch(words))
        {
            return RefusalCause.Routing;
        }

        // X.1.6 destination mailbox has moved, no forwarding address (RFC 3463 3.2).
        if (status is { Subject: 1, Detail: 6 } || MailboxPhrases.HasMoved.Matches(words))
        {
            return RefusalCause.MailboxGone;
        }

        // A reporting system that checked the recipient itself (its own directory, or the session it
        // held) and says so in its own message table is as good as a refusal of RCPT TO; every cause
        // above, a full mailbox, a policy, a failed lookup, still wins over it (as in sisimai's
        // Reason.pm, which re-checks a module's userunknown against them).
        if (reporterSaysRecipientUnknown)
        {
            return RefusalCause.MailboxGone;
        }

        // RFC 5321 4.2.2's stock text for 550, "mailbox unavailable", is also sent for policy
        // refusals, so it counts only in answer to RCPT TO, under no code or one about the address
        // or nothing in particular (never X.2.x: a disabled mailbox may come back), and only when
        // no policy, filter or other words matched above (Hotmail's and IIS's answer for no such user).
        var mailboxWords = MailboxPhrases.UserUnknown.Matches(words)
            || (stage == RefusalStage.RcptTo && status is null or { Subject: 0 or 1 } && words.Contains("mailbox unavailable", StringComparison.Ordinal));
        return status switch
        {
            // X.1.1 bad destination mailbox address: the server's own statement (RFC 3463 3.2).
            { Subject: 1, Detail: 1 } => RefusalCause.MailboxGone,

            // X.1.0 other address status, X.1.3 bad destination mailbox address syntax: about the
            // address, so its words decide. (Microsoft's 5.1.351 "remote server returned unknown
            // recipient" only wraps another server's words, and is read as they are, below.)
            { Subject: 1, Detail: 0 or 3 } => mailboxWords ? RefusalCause.MailboxGone : RefusalCause.NotUnderstood,

            // X.0.0, X.2.0, X.2.1 (mailbox disabled, also sent for holds and rate limits), X.5.x or no
            // code: "user unknown" proves the mailbox gone only in answer to RCPT TO. A server that took
            // the recipient and refuses after DATA with those words is filtering the message (sisimai's
            // Filtered.pm), and every MTA that checks mailboxes does so at RCPT (RFC 5321 3.3).
            _ when mailboxWords => stage == RefusalStage.RcptTo ? RefusalCause.MailboxGone : RefusalCause.Filtered,
            _ => RefusalCause.NotUnderstood,
        };
    }

    private static bool IsKddi(string? domain) =>
        domain is not null && (domain.Equals("ezweb.ne.jp", StringComparison.OrdinalIgnoreCase) || domain.Equals("au.com", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".ezweb.ne.jp", StringComparison.OrdinalIgnoreCase));

    // Domino's and Notes' own words, in the languages they write them (sisimai's Lhost/Domino.pm,
    // Notes.pm): "not listed in Domino Directory", "not in the directory's list".
    private static readonly PhraseList DominoDirectory = new(
        [
            "not listed in domino directory", "not listed in public name & address book", "no se encuentra en el directorio de domino",
            "non répertorié dans l'annuaire domino", "domino ディレクトリには見つかりません", "ディレクトリのリストにありません",
        ]);

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Words();

    // An addr-spec as servers quote it: a local part (or a quoted one) and a domain.
    [GeneratedRegex(@"(""[^""\r\n]{0,64}""|[^\s<>()\[\],;:""@]{1,64})@[A-Za-z0-9\[][A-Za-z0-9.:\-\]]{0,253}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MailAddress();

    [GeneratedRegex(@"\bresolver\.adr\.(recipientnotfound|recipnotfound|exrecipnotfound)\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExchangeResolver();

    // "LPN007_416", "OFR_416", "OFR004_416 [416]".
    [GeneratedRegex(@"\b(ofr|lpn)[0-9]*_416\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex OrangeInvalidRecipient();

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
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RoutingFailure();

    // A bare "try again" is advice, not a transient state: Outlook.com's permanent "the domain is not
    // reachable. Please check the domain and try again" (tests/corpus/feedback/lhost-outlook-03.eml).
    [GeneratedRegex(@"try again (later|in |after|soon|shortly)|temporar(y|ily)|later|at (this|the) (time|moment)|currently",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TemporaryWords();
}
