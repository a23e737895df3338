namespace Suppression.Import;

/// <summary>
/// The file as a whole cannot be imported (empty, or a header row that matches no known export);
/// the message is written for the API user and belongs in the 400 response.
/// </summary>
public sealed class ImportFormatException : Exception
{
    public ImportFormatException()
        : base("The file is not a suppression list this gateway can import.")
    {
    }

    public ImportFormatException(string message)
        : base(message)
    {
    }

    public ImportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
