using System.Text.RegularExpressions;

namespace Suppression.Smtp.Feedback;

/// <summary>
/// What a report's human-readable part says about one of its recipients: the command the refusal
/// answered, and the server's words when the delivery-status group has no Diagnostic-Code. Only the
/// lines next to that recipient's address are read (<see cref="RecipientPassage"/>).
/// </summary>
internal sealed partial record ReportContext(string? HumanText, IReadOnlyCollection<string> EveryAddress, int Recipients, string? ReportingMta)
{
    public (RefusalStage Stage, string? Words) About(IReadOnlyCollection<string> addresses, string? diagnostic)
    {
        var address = addresses.FirstOrDefault();
        var stage = RefusalStageReader.Find(diagnostic, address);
        var others = EveryAddress.Where(other => !addresses.Contains(other, StringComparer.OrdinalIgnoreCase)).ToList();
        var passages = RecipientPassage.Find(HumanText, addresses, others).ToList();
        foreach (var passage in passages)
        {
            if (stage != RefusalStage.Unknown)
            {
                break;
            }

            stage = addresses.Select(named => RefusalStageReader.Find(passage, named)).FirstOrDefault(found => found != RefusalStage.Unknown);
        }

        var words = diagnostic ?? (passages.Count == 0 ? null : Whitespace().Replace(string.Join(' ', passages), " ").Trim());
        return (stage, words);
    }

    // A report about one recipient: its whole human-readable part is about that recipient, and
    // words there that blame a full, suspended or filtering mailbox veto a hard bounce however the
    // delivery-status part reads (an ezweb.ne.jp report says "The user(s) account is disabled." over
    // a "550 user unknown"). Only these specific phrase lists: MTAs' boilerplate is full of "message" words.
    //
    // Amazon SES's inbound servers (Reporting-MTA inbound-smtp.REGION.amazonaws.com) write a report
    // only for a receipt rule's bounce action, which the recipient's domain sets after the message
    // was accepted: its text ("Mailbox does not exist") is a template the rule picked, a filter's
    // words, not a server's check of the mailbox (sisimai's Lhost/ReceivingSES.pm: filtered).
    public bool ContradictsMailboxGone()
    {
        if (ReportingMta is { } mta && AmazonSesInbound().IsMatch(mta))
        {
            return true;
        }

        if (Recipients != 1 || string.IsNullOrEmpty(HumanText))
        {
            return false;
        }

        var words = Whitespace().Replace(HumanText, " ").ToLowerInvariant();
        return CausePhrases.MailboxFull.Matches(words) || CausePhrases.Suspended.Matches(words) || CausePhrases.Filtered.Matches(words);
    }

    [GeneratedRegex(@"^\s*dns\s*;\s*inbound-smtp\.[a-z0-9-]+\.amazonaws\.com\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex AmazonSesInbound();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Whitespace();
}
