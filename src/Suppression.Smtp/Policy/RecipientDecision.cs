using Suppression.Suppressions;

namespace Suppression.Smtp.Policy;

/// <summary>The verdict on one recipient and, when it is suppressed, the entry that suppresses it.</summary>
public readonly record struct RecipientDecision(RecipientVerdict Verdict, SuppressionEntry? Entry)
{
    public static RecipientDecision Deliver { get; } = new(RecipientVerdict.Deliver, null);

    public static RecipientDecision Defer { get; } = new(RecipientVerdict.Defer, null);
}
