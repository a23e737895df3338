namespace Suppression.Suppressions;

/// <summary>
/// The suppression store could not answer: not reachable, too slow, behind an open circuit, or it
/// refused the command. The one failure callers handle, whatever the store is: the SMTP side defers
/// (451 4.3.0), HTTP answers 503, nobody decides without the list (fail closed). The store's own
/// error is the <see cref="Exception.InnerException"/>; the message never names an address.
/// </summary>
public sealed class SuppressionStoreUnavailableException : Exception
{
    public SuppressionStoreUnavailableException()
        : base("The suppression list is unavailable.")
    {
    }

    public SuppressionStoreUnavailableException(string message)
        : base(message)
    {
    }

    public SuppressionStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
