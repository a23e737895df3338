using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Resources;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// Every sentence the recipient's pages show (/u/{token}: the preference page, the unsubscribe,
/// undo and error pages), in one language. The texts are resources (Resources/Unsubscribe/
/// RecipientPages.resx, English, and one RecipientPages.&lt;lang&gt;.resx per language), keyed by these
/// property names, so a translation changes nothing in the markup, and a test fails when any language
/// lacks a text. Texts with {0}, {1} are composite formats: the sender's name, a topic's. Values passed
/// in are HTML-encoded by the page, never these texts' callers.
/// </summary>
public sealed record RecipientPageText
{
    /// <summary>The resources' name in the assembly (the file's path under the project, dotted).</summary>
    public const string ResourceName = "Suppression.Gateway.Resources.Unsubscribe.RecipientPages";

    private static readonly ResourceManager Resources = new(ResourceName, typeof(RecipientPageText).Assembly);

    private static readonly PropertyInfo[] Texts = [.. typeof(RecipientPageText).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.PropertyType == typeof(string) && property.CanWrite && property.Name != nameof(Language))];

    private static readonly ConcurrentDictionary<string, RecipientPageText> ByLanguage = new(StringComparer.Ordinal);

    public static RecipientPageText English => For(RecipientLanguage.Default);

    /// <summary>The texts in the language of this request (RecipientLanguage set the UI culture for /u).</summary>
    public static RecipientPageText Current => For(CultureInfo.CurrentUICulture);

    /// <summary>The names of the texts: what every language's resources must give.</summary>
    public static IEnumerable<string> Names => Texts.Select(property => property.Name);

    /// <summary>The texts in <paramref name="culture"/>'s language, or in English when the pages do not speak it.</summary>
    public static RecipientPageText For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var language = RecipientLanguage.Of(culture);
        return ByLanguage.GetOrAdd(language.Name, _ => Load(language));
    }

    private static RecipientPageText Load(CultureInfo language)
    {
        var text = new RecipientPageText { Language = language.Name };
        foreach (var property in Texts)
        {
            // English is the neutral resource every language falls back to; a missing one is a build defect the tests catch.
            property.SetValue(text, Resources.GetString(property.Name, language)
                ?? throw new MissingManifestResourceException($"{ResourceName}: no text '{property.Name}'"));
        }

        return text;
    }

    /// <summary>The page's <c>lang</c> attribute.</summary>
    public string Language { get; init; } = "en";

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

    public string UnnamedSender { get; init; } = string.Empty;

    public string PageTitle { get; init; } = string.Empty;

    /// <summary>{0}: what stops (<see cref="TopicOfSender"/>...), {1}: the masked address.</summary>
    public string StopQuestion { get; init; } = string.Empty;

    public string UnsubscribeButton { get; init; } = string.Empty;

    public string TopicOfSender { get; init; } = string.Empty;

    public string HiddenTopicOfSender { get; init; } = string.Empty;

    public string MailFromSender { get; init; } = string.Empty;

    public string MarketingMailFromSender { get; init; } = string.Empty;

    public string ChoicesHeading { get; init; } = string.Empty;

    public string TopicsLegend { get; init; } = string.Empty;

    public string MessageTopicMark { get; init; } = string.Empty;

    public string TopicStopped { get; init; } = string.Empty;

    public string TopicAlwaysSent { get; init; } = string.Empty;

    public string AllLegend { get; init; } = string.Empty;

    public string AllLabel { get; init; } = string.Empty;

    public string AllHint { get; init; } = string.Empty;

    public string SaveButton { get; init; } = string.Empty;

    public string PrivacyLink { get; init; } = string.Empty;

    public string ChoicesUnavailable { get; init; } = string.Empty;

    public string LockedBounced { get; init; } = string.Empty;

    public string LockedComplaint { get; init; } = string.Empty;

    public string LockedErased { get; init; } = string.Empty;

    public string LockedEverySender { get; init; } = string.Empty;

    public string LockedStopped { get; init; } = string.Empty;

    public string SavedTitle { get; init; } = string.Empty;

    public string NowStopped { get; init; } = string.Empty;

    public string NowReceivingAgain { get; init; } = string.Empty;

    public string NothingChanged { get; init; } = string.Empty;

    public string NotChangedHere { get; init; } = string.Empty;

    public string TakesEffect { get; init; } = string.Empty;

    public string ReviewLink { get; init; } = string.Empty;

    public string AllMailFromSender { get; init; } = string.Empty;

    public string ListSeparator { get; init; } = string.Empty;

    public string NoChoicesTitle { get; init; } = string.Empty;

    public string NoChoices { get; init; } = string.Empty;

    public string NotUnderstoodTitle { get; init; } = string.Empty;

    public string NotUnderstood { get; init; } = string.Empty;

    public string UnavailableTitle { get; init; } = string.Empty;

    public string Unavailable { get; init; } = string.Empty;

    public string DoneTitle { get; init; } = string.Empty;

    public string DoneText { get; init; } = string.Empty;

    public string WidenOffer { get; init; } = string.Empty;

    public string WidenButton { get; init; } = string.Empty;

    public string UndoOffer { get; init; } = string.Empty;

    public string UndoButton { get; init; } = string.Empty;

    public string UndoneTitle { get; init; } = string.Empty;

    public string UndoneText { get; init; } = string.Empty;

    public string NothingToUndoTitle { get; init; } = string.Empty;

    public string NothingToUndo { get; init; } = string.Empty;

    public string UndoTooLateTitle { get; init; } = string.Empty;

    public string UndoSuperseded { get; init; } = string.Empty;

    public string UndoWindowPassed { get; init; } = string.Empty;

    public string NothingWasChanged { get; init; } = string.Empty;

    public string CannotWidenTitle { get; init; } = string.Empty;

    public string CannotWiden { get; init; } = string.Empty;

    public string ExpiredTitle { get; init; } = string.Empty;

    public string Expired { get; init; } = string.Empty;

    public string InvalidTitle { get; init; } = string.Empty;

    public string Invalid { get; init; } = string.Empty;

    public string RequestNotUnderstoodTitle { get; init; } = string.Empty;

    public string RequestNotUnderstood { get; init; } = string.Empty;

    public string NotRecorded { get; init; } = string.Empty;

    public string NotUnsubscribedYet { get; init; } = string.Empty;

    public string TooManyTitle { get; init; } = string.Empty;

    public string TooMany { get; init; } = string.Empty;

    public string Minutes { get; init; } = string.Empty;

    public string Seconds { get; init; } = string.Empty;

    public string LanguageLabel { get; init; } = string.Empty;

    public string Format(string format, params object[] values) => string.Format(CultureInfo.InvariantCulture, format, values);
}
