using Suppression.Smtp.Feedback;

namespace Suppression.Smtp.Relay;

/// <summary>What became of one upstream delivery attempt, with the upstream's own words when it answered.</summary>
public sealed record RelayResult(RelayOutcome Outcome, int Code, string Text)
{
    /// <summary>The command the upstream's refusal answered, when it refused.</summary>
    public RefusalStage Stage { get; init; } = RefusalStage.Unknown;

    public static RelayResult Accepted(string text) => new(RelayOutcome.Accepted, 250, text);

    public static RelayResult Unreachable(string text) => new(RelayOutcome.TemporaryFailure, 0, text);

    public static RelayResult FromUpstreamReply(int code, string text, RefusalStage stage = RefusalStage.Unknown) =>
        new(code >= 500 ? RelayOutcome.PermanentFailure : RelayOutcome.TemporaryFailure, code, text) { Stage = stage };
}
