using System.Globalization;

namespace Suppression.Cli.Progress;

/// <summary>The text of a progress line, as pure functions of the counts and the width available.</summary>
internal static class ProgressBar
{
    private const int MinimumBarWidth = 10;

    /// <summary>
    /// <c>[#####.....]  50% 20.0 MB / 40.0 MB</c> in exactly <paramref name="width"/> columns; on a
    /// narrow terminal only the figures, and on a very narrow one only the percentage.
    /// </summary>
    public static string Render(long bytes, long totalBytes, int width)
    {
        bytes = Math.Max(0, bytes);
        var done = totalBytes <= 0 ? 1.0 : Math.Min(1.0, (double)bytes / totalBytes);
        var percent = string.Create(CultureInfo.InvariantCulture, $"{(int)(done * 100),3}%");
        var figures = $"{percent} {FormatBytes(bytes)} / {FormatBytes(Math.Max(0, totalBytes))}";
        var barWidth = width - figures.Length - 3;
        if (barWidth < MinimumBarWidth)
        {
            return figures.Length <= width ? figures : Fit(percent, width);
        }

        var filled = (int)(done * barWidth);
        return "[" + new string('#', filled) + new string('.', barWidth - filled) + "] " + figures;
    }

    /// <summary><c>received 12.3 MB, 304,112 lines</c>: a download's size is not known in advance.</summary>
    public static string RenderReceived(long bytes, long lines, int width) =>
        Fit(string.Create(CultureInfo.InvariantCulture, $"received {FormatBytes(bytes)}, {lines:N0} lines"), width);

    /// <summary>Decimal units, as file managers show sizes: 40,000,000 bytes is 40.0 MB.</summary>
    public static string FormatBytes(long bytes)
    {
        string[] units = ["kB", "MB", "GB", "TB"];
        if (bytes < 1000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        }

        var value = bytes / 1000.0;
        var unit = 0;
        while (value >= 999.95 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    private static string Fit(string text, int width) => width > 0 && text.Length > width ? text[..width] : text;
}
