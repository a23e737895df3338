namespace Suppression.Smtp.Feedback;

/// <summary>
/// Words with which servers blame something other than a missing mailbox: each wins over mailbox
/// words in the same reply, as in sisimai's order (its reasons checked before UserUnknown, and the
/// ones UserUnknown.true() checks first). Ported from sisimai (p5-sisimai 21cfb93,
/// lib/Sisimai/Reason/MailboxFull.pm, MesgTooBig.pm, ExceedLimit.pm, Suspend.pm, Filtered.pm,
/// NoRelaying.pm, AuthFailure.pm, Blocked.pm, Rejected.pm and lib/Sisimai/Rhost/Google.pm,
/// YahooInc.pm; BSD-2-Clause, Copyright (C) 2014 azumakuniyuki, see THIRD-PARTY-NOTICES.md).
/// </summary>
internal static class CausePhrases
{
    public static readonly PhraseList MailboxFull = new(
        [
            "452 insufficient disk space", "account disabled temporarly for exceeding receiving limits", "account is exceeding their quota",
            "account is over quota", "account is temporarily over quota", "boite du destinataire pleine", "delivery failed: over quota",
            "disc quota exceeded", "diskspace quota", "does not have enough space", "exceeded storage allocation",
            "exceeding its mailbox quota", "full mailbox", "is over disk quota", "is over quota temporarily",
            "mail file size exceeds the maximum size allowed for mail delivery", "mail quota exceeded", "mailbox exceeded the local limit",
            "mailbox full", "mailbox has exceeded its disk space limit", "mailbox is full", "mailbox over quota",
            "mailbox quota usage exceeded", "mailbox size limit exceeded", "maildir over quota", "mailfolder is full",
            "no space left on device", "not enough storage space in", "not sufficient disk space", "over the allowed quota",
            "quota exceeded", "quota violation for", "recipient reached disk quota", "would exceed maximum allowed storage",
            "the user's space has been used up", "the user you are trying to reach is over quota", "too much mail data",
            "user has exceeded quota", "user has too many messages on the server", "user is over quota", "user is over the quota",
            "user over quota", "would be over the allowed quota", "not enough disk space",
        ]);

    public static readonly PhraseList MessageTooBig = new(
        [
            "exceeded maximum inbound message size", "line limit exceeded", "max message size exceeded", "message file too big",
            "message length exceeds administrative limit", "message size exceeds fixed limit", "message size exceeds fixed maximum message size",
            "message size exceeds maximum value", "message too big", "message too large", "size limit", "taille limite du message atteinte",
            "message header size exceeds limit",
        ]);

    // Disabled, inactive, suspended or locked: the account is there and may come back (sisimai's
    // "suspend", which it does not count as a hard bounce).
    public static readonly PhraseList Suspended = new(
        [
            " is currently suspended", " temporary locked", "archived recipient", "boite du destinataire archivee",
            "email account that you tried to reach is disabled", "account that you tried to reach is inactive", "has been suspended",
            "inactive account", "invalid/inactive user", "is a deactivated mailbox", "is unavailable: user is terminated",
            "mailbox currently suspended", "mailbox disabled", "mailbox is frozen", "mailbox unavailable or access denied",
            "recipient rejected: temporarily inactive", "recipient suspend the service", "has been disabled or discontinued",
            "this account has been temporarily suspended", "this address no longer accepts mail", "this mailbox is disabled",
            "user or domain is disabled", "user suspended", "vdelivermail: account is locked email bounced", " is no longer valid.",
            "account is disabled", "account has been disabled", "account is inactive", "mailbox cannot be accessed",
            "access denied, banned recipient",
        ]);

    // The recipient's own rules refused the message (a filter or block list the mailbox owner set):
    // the mailbox exists.
    public static readonly PhraseList Filtered = new(
        [
            "because the recipient is only accepting mail from specific email addresses", "bounced address",
            "due to extended inactivity new mail is not currently being accepted for this mailbox", "has restricted sms e-mail",
            "is not accepting any mail", "message rejected due to user rules", "not found recipient account",
            "refused due to recipient preferences", "resolver.rst.notauthorized", "this account is protected by",
            "user refuses to receive this mail", "user reject", "refuse to receive mail", "you have been blocked by the recipient",
            "recipient refuses to accept your mail", "access denied, rejected by recipient",
        ]);

    public static readonly PhraseList NoRelaying = new(
        [
            "as a relay", "email address is not verified.", "insecure mail relay", "is not permitted to relay through this server without authentication",
            "mail server requires authentication when attempting to send to a non-local e-mail address", "no relaying", "not a gateway",
            "not allowed to relay through this machine", "not an open relay, so get lost", "not local host", "relay access denied",
            "relay denied", "relay not permitted", "relaying denied", "relaying mail to ", "specified domain is not allowed",
            "that domain isn't in my list of allowed rcpthost", "this system is not configured to relay mail", "unable to relay for",
            "we don't handle mail for", "not a local address", "recipient is not local",
        ]);

    public static readonly PhraseList AuthFailure = new(
        [
            "//spf.pobox.com", "bad spf records for", "dmarc policy", "please inspect your spf settings", "sender policy framework (spf) fail",
            "sender policy framework violation", "spf (sender policy framework) domain authentication fail", "spf check: fail",
            "yahoo requires all senders to authenticate with either spf or dkim",
        ],
        [[" is not allowed to send mail.", "_401"], ["is not allowed to send from <", " per it's spf record"]]);

    public static readonly PhraseList Blocked = new(
        [
            " said: 550 blocked", "//www.spamcop.net/bl.", "bad sender ip address", "banned sending ip", "blacklisted by", "blocked using ",
            "blocked - see http", "dnsbl:attrbl", "client host rejected: abus detecte", "client host rejected: may not be mail exchanger",
            "client host rejected: was not authenticated", "confirm this mail server", "connection dropped", "connection refused by",
            "connection reset by peer", "connection was dropped by remote host", "connections not accepted from ip addresses on spamhaus xbl",
            "currently sending spam see: ", "domain does not exist:", "dynamic/zombied/spam ips blocked", "error: no valid recipients from ",
            "esmtp not accepting connections", "extreme bad ip profile", "go away", "helo command rejected:", "host network not allowed",
            "hosts with dynamic ip", "invalid ip for sending mail of domain", "is in a black list", "is not allowed to send mail from",
            "no access from mail server", "no matches to nameserver query", "not currently accepting mail from your ip",
            "part of their network is on our block list", "please use the smtp server of your isp", "refused - see http",
            "rejected - multi-blacklist", "rejected because the sending mta or the sender has not passed validation", "rejecting open proxy",
            "sender ip address rejected", "server access forbidden by your ip ", "service not available, closing transmission channel",
            "smtp error from remote mail server after initial connection:", "sorry, that domain isn't in my list of allowed rcpthosts",
            "sorry, your remotehost looks suspiciously like spammer", "temporarily deferred due to unexpected volume or user complaints",
            "to submit messages to this e-mail system has been rejected", "too many spams from your ip",
            "too many unwanted messages have been sent from the following ip address above", "was blocked by ",
            "we do not accept mail from dynamic ips", "you are not allowed to connect", "you are sending spam",
            "your ip address is listed in the rbl", "your network is temporary blacklisted", "your server requires confirmation",
            "that domain or user isn't in my list of allowed rcpthosts", "sorry, your envelope recipient has been denied", "blocked by ",
        ],
        [
            ["(", "@", ":blocked)"], ["access from ip address ", " blocked"], ["client host ", " blocked using"],
            ["connections will not be accepted from ", " because the ip is in spamhaus's list"], ["dnsbl:rbl ", ">_is_blocked"],
            ["email blocked by ", ".barracudacentral.org"], ["email blocked by ", "spamhaus"], ["host ", " refused to talk to me: ", " blocked"],
            ["ip ", " is blocked by earthlink"], ["is in an ", "rbl on "], ["mail server at ", " is blocked"], ["mail from ", " refused:"],
            ["message from ", " rejected based on blacklist"], ["messages from ", " temporarily deferred due to user complaints"],
            ["server ip ", " listed as abusive"], ["sorry! your ip address", " is blocked by rbl"], ["the domain ", " is blacklisted"],
            ["the email ", " is blacklisted"], ["the ip", " is blacklisted"], ["your sender's ip address is listed at ", ".abuseat.org"],
        ]);

    // The sender (envelope or header) was refused; sisimai's "rejected".
    public static readonly PhraseList SenderRejected = new(
        [
            "access denied (in reply to mail from command)", "access denied (sender blacklisted)", "administrative prohibition",
            "batv failed to verify", "batv validation failure", "backscatter protection detected an invalid or expired email address",
            "because the sender isn't on the recipient's list of senders to accept mail from", "bogus mail from",
            "can't determine purported responsible address", "connections not accepted from servers without a valid sender domain",
            "denied [bouncedeny]", "denied by secumail valid-address-filter", "delivery not authorized, message refused", "does not exist e2110",
            "domain of sender address ", "email address is on senderfilterconfig list", "emetteur invalide", "empty envelope senders not allowed",
            "envelope blocked - ", "error: no third-party dsns", "from: domain is invalid. please provide a valid from:",
            "fully qualified email address required", "invalid domain, see <url:", "invalid sender", "is not a registered gateway user",
            "mail from not owned by user", "message rejected: email address is not verified", "mx records for ", "null sender is not allowed",
            "recipient addresses rejected : access denied", "recipient not accepted. (batv: no tag", "returned mail not accepted here",
            "rfc 1035 violation: recursive cname records for", "rule imposed mailbox access for", "sending this from a different address or alias using the ",
            "sender address has been blacklisted", "sender email address rejected", "sender is in my black list", "sender is spammer",
            "sender not pre-approved", "sender rejected", "sender domain is empty", "sender verify failed", "sender was rejected",
            "spam reporting address", "syntax error: empty email address", "the message has been rejected by batv defense",
            "this server does not accept mail from", "transaction failed unsigned dsn for", "unroutable sender address",
            "you are not allowed to post to this mailing list", "you are sending to/from an address that has been blacklisted",
            "your access to submit messages to this e-mail system has been rejected", "your email address has been blacklisted",
            "will be permanently deferred", "due to unresolvable rfc.5321 domain",
        ],
        exceptions: ["5.1.0 address rejected", "#5.1.0 address rejected", "recipient address rejected", "sender ip address rejected"]);
}
