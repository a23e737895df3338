using Suppression.Suppressions;

namespace Suppression.Smtp.Policy;

/// <summary>
/// The verdict on one recipient at RCPT. Suppressed: the entry that suppresses it. Delivered: the
/// entries stored for it, which the message's class, tenant and topic may still make block after DATA.
/// </summary>
public readonly record struct RecipientDecision(RecipientVerdict Verdict, SuppressionEntry? Entry, IReadOnlyList<SuppressionEntry>? Entries = null)
{
    public static RecipientDecision Deliver { get; } = new(RecipientVerdict.Deliver, null);

    public static RecipientDecision Defer { get; } = new(RecipientVerdict.Defer, null);

    public static RecipientDecision DeliverSubjectTo(IReadOnlyList<SuppressionEntry> entries) =>
        entries.Count == 0 ? Deliver : new(RecipientVerdict.Deliver, null, entries);
}
