using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>One corpus message sent through the gateway: what the client sent, the reply, and each copy the upstream received.</summary>
public sealed record MessageRun(CorpusMessage Message, string MailParameters, string Reply, IReadOnlyList<ReceivedMessage> Copies)
{
    /// <summary>The reply for one of the message's faults, and nothing relayed.</summary>
    public bool RefusedAsDocumented => Message.RefusalReasons.Any(reason => reason.Matches(Reply)) && Copies.Count == 0;

    /// <summary>Relayed as the corpus expects: 250 and one copy per recipient.</summary>
    public bool RelayedAsExpected =>
        Message.RefusalReasons.Count == 0 && Reply.StartsWith("250", StringComparison.Ordinal) && Copies.Count == FaithfulRelayFixture.Recipients;

    public IReadOnlyList<IReadOnlyList<CopyDifference>> Differences { get; } = Copies.Select(copy => CopyComparison.Compare(Message, copy.Data)).ToList();

    public static string CopyName(CorpusMessage message, int copy) => $"{Path.GetFileNameWithoutExtension(message.File)}.copy{copy + 1}.eml";
}
