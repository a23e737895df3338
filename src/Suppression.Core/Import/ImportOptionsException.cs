namespace Suppression.Import;

/// <summary>
/// The import's parameters do not fit the file (a reason for a file whose rows give their own, a
/// manual list without evidence). Thrown once the header is read, before any row is written; the
/// message is written for the API user and belongs in the 400 response.
/// </summary>
public sealed class ImportOptionsException : Exception
{
    public ImportOptionsException()
        : base("The import's parameters do not fit this file.")
    {
    }

    public ImportOptionsException(string message)
        : base(message)
    {
    }

    public ImportOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImportOptionsException(string parameter, string message)
        : base(message) => Parameter = parameter;

    /// <summary>The query parameter at fault: <c>reason</c> or <c>evidence</c>.</summary>
    public string? Parameter { get; }
}
