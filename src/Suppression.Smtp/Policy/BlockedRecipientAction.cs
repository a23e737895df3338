namespace Suppression.Smtp.Policy;

/// <summary><c>Suppression:Smtp:BlockedRecipient</c>: how a suppressed RCPT is answered.</summary>
public enum BlockedRecipientAction
{
    Drop,
    Reject,
}
