using System.Globalization;
using System.Net;

namespace Suppression.Gateway.Console;

/// <summary>The console's HTML building blocks: every value goes through <see cref="Encode"/> on its way into a page.</summary>
public static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A UTC time as people read it, with the machine-readable form in the <c>time</c> element.</summary>
    public static string Time(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return $"<time datetime=\"{utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\">"
            + $"{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>";
    }
}
