namespace Suppression.Gateway.Unsubscribe;

/// <summary>What <see cref="FixedWindowCounters.TryCount"/> did with a request.</summary>
public enum WindowCount
{
    /// <summary>Within the limit, and counted.</summary>
    Counted,

    /// <summary>The key has used up its limit for this window.</summary>
    Refused,

    /// <summary>The table is full: the key was not counted.</summary>
    Untracked,
}
