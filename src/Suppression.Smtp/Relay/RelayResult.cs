namespace Suppression.Smtp.Relay;

/// <summary>What became of one upstream delivery attempt, with the upstream's own words when it answered.</summary>
public sealed record RelayResult(RelayOutcome Outcome, int Code, string Text)
{
    public static RelayResult Accepted(string text) => new(RelayOutcome.Accepted, 250, text);

    public static RelayResult Unreachable(string text) => new(RelayOutcome.TemporaryFailure, 0, text);

    public static RelayResult FromUpstreamReply(int code, string text) =>
        new(code >= 500 ? RelayOutcome.PermanentFailure : RelayOutcome.TemporaryFailure, code, text);
}
