namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// A tenant's logo as the recipient pages show it: the configured file's bytes, read once at start-up
/// and served by the gateway (<c>GET /u/assets/logo/{tenant}</c>), so the page fetches nothing from
/// anywhere else. Only raster formats recognised by their first bytes: an SVG can carry script.
/// </summary>
public sealed record SenderLogo(byte[] Bytes, string ContentType)
{
    public const int MaxBytes = 256 * 1024;

    public const string PathPrefix = "/u/assets/logo/";

    /// <summary>The logo in <paramref name="path"/>, or why it cannot be one.</summary>
    public static SenderLogo? TryRead(string path, out string? problem)
    {
        problem = null;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = $"'{path}' does not exist";
                return null;
            }

            if (info.Length is 0 or > MaxBytes)
            {
                problem = $"'{path}' is {info.Length} bytes; a logo must be 1 to {MaxBytes} bytes";
                return null;
            }

            var bytes = File.ReadAllBytes(path);
            if (ContentTypeOf(bytes) is not { } contentType)
            {
                problem = $"'{path}' is not a PNG, JPEG or WebP image";
                return null;
            }

            return new SenderLogo(bytes, contentType);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = $"'{path}' cannot be read: {exception.Message}";
            return null;
        }
    }

    private static string? ContentTypeOf(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? "image/webp"
        : null;
}
