using System.Text.RegularExpressions;
using MimeKit;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// The mail system that wrote a bounce, when its header fields say so, and the words in its own
/// message table that say a recipient is unknown. Such a system checked the recipient itself (its
/// own directory, or the SMTP session it held), which is evidence as good as a refusal of RCPT TO;
/// the same words from a system not known here may be a filter's after DATA, and stay soft.
/// Ported from sisimai's per-MTA modules (p5-sisimai 21cfb93, lib/Sisimai/Lhost/*.pm, their
/// "messagesof" userunknown lists; BSD-2-Clause, see THIRD-PARTY-NOTICES.md), with the phrases
/// that also mean something else left out.
/// </summary>
internal sealed partial class ReportingSystem
{
    private readonly Func<MimeMessage, bool> _wroteIt;
    private readonly PhraseList _recipientUnknown;

    private ReportingSystem(string name, Func<MimeMessage, bool> wroteIt, PhraseList recipientUnknown)
    {
        Name = name;
        _wroteIt = wroteIt;
        _recipientUnknown = recipientUnknown;
    }

    public string Name { get; }

    // Lhost/McAfee.pm: the appliance marks what it writes with X-NAI-Header. Its " unknown." is
    // left out: alone it names no mailbox ("Host unknown.").
    private static readonly ReportingSystem McAfee = new(
        "McAfee Email Gateway",
        message => Field(message, "X-NAI-Header").Contains("Modified by McAfee", StringComparison.Ordinal) && message.Subject == "Delivery Status",
        new PhraseList(["user not exist", "unknown user", "no such user"]));

    // Lhost/IMailServer.pm: Ipswitch IMail's X-Mailer is "<SMTP32 v...>"; "Invalid final delivery
    // userid" is its local delivery agent finding no such user.
    private static readonly ReportingSystem IMail = new(
        "IMail Server",
        message => Field(message, "X-Mailer").StartsWith("<SMTP32 v", StringComparison.Ordinal),
        new PhraseList(["unknown user", "invalid final delivery userid"]));

    // Lhost/Verizon.pm: post_master@vtext.com, relayed by a vtext.com host.
    private static readonly ReportingSystem Verizon = new(
        "Verizon Wireless",
        message => message.From.Mailboxes.Any(from => string.Equals(from.Address, "post_master@vtext.com", StringComparison.OrdinalIgnoreCase))
            && message.Headers.Any(header => header.Id == HeaderId.Received && header.Value.Contains(".vtext.com (", StringComparison.OrdinalIgnoreCase)),
        new PhraseList(["550 - requested action not taken: no such user here"]));

    // Lhost/MessageLabs.pm, without its "542 " and " Rejected": a bare rejection is a filter's as
    // often as a directory's (rhost-messagelabs-03.eml: "542 a@b Rejected").
    private static readonly ReportingSystem MessageLabs = new(
        "MessageLabs",
        message => message.Headers.Contains("X-Msg-Ref")
            && message.From.Mailboxes.Any(from => string.Equals(from.Address, "MAILER-DAEMON@messagelabs.com", StringComparison.OrdinalIgnoreCase))
            && (message.Subject ?? string.Empty).StartsWith("Mail Delivery Failure", StringComparison.Ordinal),
        new PhraseList(["no such user"]));

    // Lhost/GSuite.pm: Google Workspace's notice for a recipient it could not deliver to, with no
    // remote reply to quote. Its other template, "couldn't be found, or is unable to receive mail",
    // also covers a recipient's filter (rfc3464-57.eml, au's "550 : User unknown") and is not listed.
    private static readonly ReportingSystem GoogleWorkspace = new(
        "Google Workspace",
        message => message.Headers.Contains("X-Gm-Message-State")
            && message.From.Mailboxes.Any(from => string.Equals(from.Address, "mailer-daemon@googlemail.com", StringComparison.OrdinalIgnoreCase))
            && (message.Subject ?? string.Empty).Contains("Delivery Status Notification", StringComparison.Ordinal),
        new PhraseList(["because the address couldn't be found. check for typos or unnecessary spaces and try again."]));

    private static readonly ReportingSystem[] Known = [McAfee, IMail, Verizon, MessageLabs, GoogleWorkspace];

    /// <returns>Null when the header fields name no system known here.</returns>
    public static ReportingSystem? Of(MimeMessage message) => Known.FirstOrDefault(system => system._wroteIt(message));

    /// <param name="words">What the report says about one recipient.</param>
    public bool SaysRecipientUnknown(string? words) =>
        !string.IsNullOrEmpty(words) && _recipientUnknown.Matches(Whitespace().Replace(words, " ").ToLowerInvariant());

    public override string ToString() => Name;

    private static string Field(MimeMessage message, string field) => message.Headers[field] ?? string.Empty;

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
