namespace Suppression.Smtp.Server;

/// <summary>The gateway's own mailboxes: mail to them is handled here, never relayed, and accepted from any client.</summary>
public enum LocalMailbox
{
    None,

    /// <summary>The stamped mailto: unsubscribe address (RFC 2369).</summary>
    Unsubscribe,

    /// <summary>A bounce or complaint-report address (<c>Suppression:Feedback:Addresses</c>).</summary>
    Feedback,
}
