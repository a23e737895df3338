using System.Diagnostics;
using Suppression.Addresses;
using Suppression.Smtp.LocalMailboxes;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Protocol;
using Suppression.Suppressions;

namespace Suppression.Smtp.Server;

/// <summary>
/// One MAIL ... DATA transaction: the envelope and what the suppression check made of each recipient.
/// Its lists change only through its methods, so the rules that keep them consistent live here.
/// </summary>
internal sealed class MailTransaction
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<SuppressionEntry>> _pendingEntries = new(StringComparer.Ordinal);
    private readonly List<MailboxPath> _recipients = [];
    private readonly List<(MailboxPath Recipient, SuppressionEntry Entry)> _droppedRecipients = [];

    public MailTransaction(string id, MailboxPath sender, bool smtpUtf8, bool eightBitMime, Activity? span = null)
    {
        Id = id;
        Sender = sender;
        SmtpUtf8 = smtpUtf8;
        EightBitMime = eightBitMime;
        Span = span;
    }

    /// <summary>Short random id, used in the Received header and in logs to tie lines together.</summary>
    public string Id { get; }

    public MailboxPath Sender { get; }

    public bool SmtpUtf8 { get; }

    public bool EightBitMime { get; }

    /// <summary>The transaction's trace span (its recipient checks and upstream copies are children), or null when nobody listens.</summary>
    public Activity? Span { get; }

    public IReadOnlyList<MailboxPath> Recipients => _recipients;

    /// <summary>Recipients answered 250 but suppressed: they get nothing, and each is logged.</summary>
    public IReadOnlyList<(MailboxPath Recipient, SuppressionEntry Entry)> DroppedRecipients => _droppedRecipients;

    /// <summary>
    /// The gateway's own mailbox this transaction is addressed to, if any: such mail is handled here
    /// and never relayed, so it has no other recipients.
    /// </summary>
    public ILocalMailbox? Local { get; private set; }

    /// <summary>The address at <see cref="Local"/> the mail came to (a return path's tag says whom its report may affect).</summary>
    public NormalizedAddress? LocalRecipient { get; private set; }

    /// <summary>Whether some recipient is to be relayed (or was dropped from relaying).</summary>
    public bool HasRelayRecipients => _recipients.Count + _droppedRecipients.Count > 0;

    public int RecipientCount => _recipients.Count + _droppedRecipients.Count + (Local is null ? 0 : 1);

    public bool HasRecipients => RecipientCount > 0;

    /// <summary>False when the recipient was already given in this transaction (one copy is enough).</summary>
    public bool MarkSeen(MailboxPath recipient) => _seen.Add(Key(recipient));

    /// <summary>
    /// Takes the policy's verdict on a recipient at RCPT. A delivered one is kept with the entries
    /// that did not decide there (the message's class, tenant and topic judge them after DATA); a
    /// dropped one is kept for the record; a deferred one may be given again in this transaction.
    /// A refused one is none of these: its record is written at once.
    /// </summary>
    public void TakeVerdict(MailboxPath recipient, RecipientDecision decision)
    {
        switch (decision.Verdict)
        {
            case RecipientVerdict.Deliver:
                _recipients.Add(recipient);
                if (decision.Entries is { Count: > 0 } entries)
                {
                    _pendingEntries[Key(recipient)] = entries;
                }

                break;
            case RecipientVerdict.Drop:
                _droppedRecipients.Add((recipient, decision.Entry!));
                break;
            case RecipientVerdict.Refuse:
                break;
            default:
                _seen.Remove(Key(recipient));
                break;
        }
    }

    /// <summary>
    /// Addresses the transaction to one of the gateway's own mailboxes; false when it already carries
    /// other recipients, another mailbox, or another address of a mailbox that takes one per transaction.
    /// </summary>
    public bool TryAddLocalRecipient(ILocalMailbox local, NormalizedAddress recipient)
    {
        if (HasRelayRecipients
            || (Local is not null && (Local != local || (local.TakesOneAddressPerTransaction && LocalRecipient != recipient))))
        {
            return false;
        }

        Local = local;
        LocalRecipient = recipient;
        return true;
    }

    /// <summary>The entries found at RCPT that did not decide there.</summary>
    public IReadOnlyList<SuppressionEntry> HeldEntries(MailboxPath recipient) =>
        _pendingEntries.TryGetValue(Key(recipient), out var entries) ? entries : [];

    /// <summary>A recipient that one of its held entries blocks, now that the message is classified, gets nothing.</summary>
    public void DropRecipient(MailboxPath recipient, SuppressionEntry blocking)
    {
        _recipients.Remove(recipient);
        _droppedRecipients.Add((recipient, blocking));
    }

    /// <summary>The dropped recipients are on record: the end of the transaction must not record them again.</summary>
    public void ForgetRecordedDrops() => _droppedRecipients.Clear();

    private static string Key(MailboxPath recipient) => recipient.Address!.Value.Value;
}
