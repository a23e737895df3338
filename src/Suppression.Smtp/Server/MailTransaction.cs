using System.Diagnostics;
using Suppression.Addresses;
using Suppression.Smtp.Protocol;
using Suppression.Suppressions;

namespace Suppression.Smtp.Server;

/// <summary>One MAIL ... DATA transaction: the envelope and what the suppression check made of each recipient.</summary>
public sealed class MailTransaction
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<SuppressionEntry>> _pendingEntries = new(StringComparer.Ordinal);

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

    public List<MailboxPath> Recipients { get; } = [];

    /// <summary>Recipients answered 250 but suppressed: they get nothing, and each is logged.</summary>
    public List<(MailboxPath Recipient, SuppressionEntry Entry)> DroppedRecipients { get; } = [];

    /// <summary>
    /// The gateway's own mailbox this transaction is addressed to, if any: such mail is handled here
    /// and never relayed, so it has no other recipients.
    /// </summary>
    public ILocalMailbox? Local { get; set; }

    /// <summary>The address at <see cref="Local"/> the mail came to (a return path's tag says whom its report may affect).</summary>
    public NormalizedAddress? LocalRecipient { get; set; }

    /// <summary>Whether some recipient is to be relayed (or was dropped from relaying).</summary>
    public bool HasRelayRecipients => Recipients.Count + DroppedRecipients.Count > 0;

    public int RecipientCount => Recipients.Count + DroppedRecipients.Count + (Local is null ? 0 : 1);

    public bool HasRecipients => RecipientCount > 0;

    /// <summary>Entries found at RCPT that did not decide there; they are judged once the message is classified.</summary>
    public void HoldEntries(MailboxPath recipient, IReadOnlyList<SuppressionEntry> entries) => _pendingEntries[recipient.Address!.Value.Value] = entries;

    public IReadOnlyList<SuppressionEntry> HeldEntries(MailboxPath recipient) =>
        _pendingEntries.TryGetValue(recipient.Address!.Value.Value, out var entries) ? entries : [];

    /// <summary>False when the recipient was already given in this transaction (one copy is enough).</summary>
    public bool MarkSeen(MailboxPath recipient) => _seen.Add(recipient.Address!.Value.Value);

    /// <summary>A deferred recipient may be given again in the same transaction.</summary>
    public void ForgetSeen(MailboxPath recipient) => _seen.Remove(recipient.Address!.Value.Value);
}
