namespace Suppression.Smtp.Unsubscribe;

/// <summary>
/// What to do with List-Unsubscribe headers the sender already put on a message
/// (<c>Suppression:Unsubscribe:SenderHeaders</c>).
/// </summary>
public enum SenderListUnsubscribe
{
    /// <summary>Remove the sender's headers and stamp the gateway's own (the default: only our link writes a suppression).</summary>
    Replace,

    /// <summary>Leave a message that already has List-Unsubscribe untouched.</summary>
    KeepIfPresent,
}
