using System.Globalization;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// A tenant's accent colour for the recipient pages' buttons (<c>#rrggbb</c>). The buttons' text is
/// white, so a colour is accepted only with a contrast of at least 4.5:1 against white (WCAG 2.2
/// SC 1.4.3): branding must not make the unsubscribe button hard to read.
/// </summary>
public static class AccentColor
{
    public const double MinimumContrast = 4.5;

    public static bool TryParse(string? text, out string color, out string? problem)
    {
        color = string.Empty;
        problem = null;
        if (text is not { Length: 7 } || text[0] != '#' || !int.TryParse(text.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
        {
            problem = $"'{text}' is not a colour of the form #rrggbb";
            return false;
        }

        var contrast = 1.05 / (Luminance(rgb) + 0.05);
        if (contrast < MinimumContrast)
        {
            problem = string.Create(CultureInfo.InvariantCulture,
                $"{text} gives the buttons' white text a contrast of {contrast:0.0}:1; at least {MinimumContrast}:1 is needed (a darker colour)");
            return false;
        }

        color = text.ToLowerInvariant();
        return true;
    }

    // Relative luminance (WCAG 2.2, definition).
    private static double Luminance(int rgb) =>
        (0.2126 * Channel((rgb >> 16) & 0xFF)) + (0.7152 * Channel((rgb >> 8) & 0xFF)) + (0.0722 * Channel(rgb & 0xFF));

    private static double Channel(int value)
    {
        var c = value / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
