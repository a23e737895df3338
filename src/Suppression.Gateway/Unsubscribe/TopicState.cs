namespace Suppression.Gateway.Unsubscribe;

/// <summary>One list's state for one mailbox, as the preference page shows it.</summary>
public enum TopicState
{
    Subscribed,

    /// <summary>The recipient opted out with a link: they may tick it back.</summary>
    OptedOut,

    /// <summary>Stopped by something the recipient cannot reverse (a bounce, a block by the API or a person).</summary>
    Stopped,

    /// <summary>A transactional list: no unsubscribe stops it, so it is no choice.</summary>
    AlwaysSent,
}
