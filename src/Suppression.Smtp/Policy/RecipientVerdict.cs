namespace Suppression.Smtp.Policy;

public enum RecipientVerdict
{
    /// <summary>Relay to this recipient.</summary>
    Deliver,

    /// <summary>Suppressed: answer 250 and silently send nothing.</summary>
    Drop,

    /// <summary>Suppressed: answer 550 5.7.1.</summary>
    Refuse,

    /// <summary>The list could not be consulted: answer 451 so the client retries (fail closed).</summary>
    Defer,
}
