namespace Suppression.Smtp.Feedback;

/// <summary>
/// Words with which servers say that a mailbox or a domain is not there. Ported from sisimai
/// (p5-sisimai 21cfb93, lib/Sisimai/Reason/UserUnknown.pm, HostUnknown.pm, NotAccept.pm,
/// HasMoved.pm, NetworkError.pm; BSD-2-Clause, Copyright (C) 2014 azumakuniyuki, see
/// THIRD-PARTY-NOTICES.md), with the phrases that also mean something else left out: RFC 5321's
/// stock "mailbox unavailable" (sent for any 550, 4.2.3), relay refusals ("not a local address",
/// "isn't in my list of allowed rcpthosts"), "blocked by" and "recipient refuses to accept your mail";
/// and "host unknown" when it is about the sending client ("Client host unknown", HELO).
/// </summary>
internal static class MailboxPhrases
{
    public static readonly PhraseList UserUnknown = new(
        [
            "#5.1.1 bad address", "550 address invalid", "5.1.0 address rejected.", "address does not exist",
            "address not present in directory", "address unknown", "does not exist.", "destination addresses were unknown",
            "email address does not exist", "email address could not be found", "invalid address", "invalid mailbox",
            "invalid recipient", "is not a known user", "is not a valid mailbox", "is not an active address at this host",
            "mailbox does not exist", "mailbox invalid", "mailbox is inactive", "mailbox not present", "mailbox not found",
            "nessun utente simile in questo indirizzo", "no account by that name here", "no existe dicha persona",
            "no existe ese usuario", "no mail box available for this user", "no mailbox by that name is currently available",
            "no mailbox found", "no such address here", "no such mailbox", "no such person at this address",
            "no such recipient", "no such user", "not a valid recipient", "not a valid user here",
            "recipient address rejected: invalid user", "recipient address rejected: invalid-recipient",
            "recipient address rejected: unknown user", "recipient address rejected: userunknown", "recipient does not exist",
            "recipient not exist", "recipient not found", "recipient unknown", "resolver.adr.recipientnotfound",
            "resolver.adr.recipnotfound", "resolver.adr.exrecipnotfound", "sorry, user unknown", "sorry, badrcptto",
            "sorry, no mailbox here by that name", "the email account that you tried to reach does not exist",
            "the user's email name is not found", "there is no one at this address", "this email address is wrong or no longer valid",
            "this recipient is in my badrecipientto list", "this recipient is not in my validrcptto list",
            "this spectator does not exist", "unknown mailbox", "unknown recipient", "unknown user", "user does not exist",
            "user missing home directory", "user not exist", "user not found", "user not known", "user unknown",
            "utilisateur inconnu", "vdeliver: invalid or unknown virtual user", "your envelope recipient is in my badrcptto list",
            "recipient address does not exist", "recipnotfound", "recipientnotfound", "unknown local part", "unknown local-part",
            "no such local user", "bad destination mailbox", "invalid user",
        ],
        [
            ["<", "> not found"], ["account ", " does not exist at the organization"], ["mailbox ", "does not exist"],
            ["no ", " in name directory"], ["non", "existent user"], ["rcpt <", " does not exist"], ["rcpt (", "t exist "],
            ["recipient ", " was not found in"], ["recipient address rejected: user ", " does not exist"],
            ["recipient address rejected: user unknown in ", " table"], ["this user doesn't have a ", " account"],
            ["unknown e", "mail address"], ["user ", " was not found"], ["user ", " does not exist"], ["user (", ") unknown"],
        ]);

    public static readonly PhraseList HostUnknown = new(
        [
            "domain does not exist", "domain is not reachable", "domain must exist", "host or domain name not found",
            "host unknown", "mail domain mentioned in email address is unknown", "no such domain",
            "recipient address rejected: unknown domain name", "recipient domain must exist", "the account or domain may not exist",
            "unknown host", "we weren't able to find the recipient domain", "nonexistentdomain", "nonexistent domain",
        ],
        [["553 ", " does not exist"]],
        exceptions: ["client host", "your host", "sending host", "helo", "ehlo", "reverse", "sender"]);

    // RFC 7505: a null MX says the domain takes no mail at all (Exim: "an MX or SRV record
    // indicated no SMTP service").
    public static readonly PhraseList NullMx = new(
        [
            "does not accept mail (nullmx)", "host/domain does not accept mail", "host does not accept mail",
            "name server: .: host not found", "no mx record found for domain=", "recipient address has null mx",
            "an mx or srv record indicated no smtp service",
        ]);

    public static readonly PhraseList HasMoved = new([" has been replaced by ", "recipient no longer on server"]);

    // A lookup that failed, not one that answered "no such domain": the domain may well exist.
    // Also a loop, whose "unable to route" is the path's fault, not the domain's.
    public static readonly PhraseList NetworkError = new(
        [
            "could not connect and send the mail to", "dns records for the destination computer could not be found",
            "hop count exceeded - possible mail loop", "host is unreachable", "host name lookup failure", "host not found, try again",
            "mail forwarding loop for ", "malformed name server reply", "malformed or unexpected name server reply",
            "maximum forwarding loop count exceeded", "message looping", "message probably in a routing loop", "no route to host",
            "too many hops", "unable to resolve route ", "unrouteable mail domain", "servfail", "connection refused", "connection reset",
            "hop count", "loop", "lookup fail", "lookup error", "dns error", "dns failure", "no answer",
        ]);
}
