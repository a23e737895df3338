using System.Globalization;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>A configured text (a topic's name or description) and its translations, by language tag.</summary>
public sealed record LocalizedText(string Default, IReadOnlyDictionary<string, string> Translations)
{
    /// <summary>The text in <paramref name="culture"/>, else in its parent language (de for de-AT), else the default.</summary>
    public string For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            if (Translations.TryGetValue(current.Name, out var text))
            {
                return text;
            }
        }

        return Default;
    }
}
