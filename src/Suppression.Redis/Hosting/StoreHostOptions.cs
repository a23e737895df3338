namespace Suppression.Redis.Hosting;

/// <summary>
/// What the store takes from other sections of the configuration, set by the host that owns and
/// validates them (<c>DataDirectory</c>, <c>Audit</c>, <c>Feedback:ReviewRetention</c>): where the
/// embedded server keeps its data, and how long audit and review records are kept.
/// </summary>
public sealed class StoreHostOptions
{
    public string DataDirectory { get; set; } = string.Empty;

    public TimeSpan BlockedRetention { get; set; }

    public TimeSpan RetentionInterval { get; set; }

    public TimeSpan FeedbackReviewRetention { get; set; }
}
