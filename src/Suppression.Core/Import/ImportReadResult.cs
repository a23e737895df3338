namespace Suppression.Import;

/// <summary>
/// What the reader learns about the file as a whole, for the import's response and audit record.
/// <see cref="Format"/> is set once the header row is read; <see cref="FileDigest"/> only once every
/// row has been read, since it covers the whole file.
/// </summary>
public sealed class ImportReadResult
{
    public ImportFormat? Format { get; internal set; }

    /// <summary>The contract spelling of <see cref="Format"/>, e.g. <c>sendgrid-bounces</c>.</summary>
    public string? FormatName => Format?.Name();

    /// <summary>SHA-256 of the exact bytes read (byte-order mark included), as 64 lowercase hex digits.</summary>
    public string? FileDigest { get; internal set; }
}
