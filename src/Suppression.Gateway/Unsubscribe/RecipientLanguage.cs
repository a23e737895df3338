using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Unsubscribe;

/// <summary>
/// The language of the pages a recipient sees (/u/...): the one chosen with <c>?lang=</c> (the page's
/// visible switch), else the best of the browser's <c>Accept-Language</c> that the pages speak
/// (<c>de-DE</c> is German, <c>pt-BR</c> Portuguese), else English. ASP.NET Core's request
/// localization sets it as the request's culture for these paths only; the operators' pages stay English.
/// </summary>
public static class RecipientLanguage
{
    public const string QueryParameter = "lang";

    /// <summary>The languages the pages are translated into, each named in itself for the switch.</summary>
    public static IReadOnlyList<(string Code, string NativeName)> Supported { get; } =
    [
        ("en", "English"),
        ("de", "Deutsch"),
        ("fr", "Français"),
        ("es", "Español"),
        ("it", "Italiano"),
        ("nl", "Nederlands"),
        ("pt", "Português"),
        ("ja", "日本語"),
    ];

    public static CultureInfo Default { get; } = CultureInfo.GetCultureInfo("en");

    /// <summary>The supported language <paramref name="culture"/> belongs to (de for de-AT), or English.</summary>
    public static CultureInfo Of(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        for (var current = culture; !string.IsNullOrEmpty(current.Name); current = current.Parent)
        {
            if (Supported.Any(language => language.Code == current.Name))
            {
                return CultureInfo.GetCultureInfo(current.Name);
            }
        }

        return Default;
    }

    /// <summary>Request localization for the recipient's pages: <c>?lang=</c>, then <c>Accept-Language</c>, then English.</summary>
    public static WebApplication UseRecipientLanguage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        CultureInfo[] cultures = [.. Supported.Select(language => CultureInfo.GetCultureInfo(language.Code))];
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Default),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
            RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = QueryParameter, UIQueryStringKey = QueryParameter },
                new AcceptLanguageHeaderRequestCultureProvider(),
            ],
        };
        app.UseWhen(http => http.Request.Path.StartsWithSegments(UnsubscribeLink.Path, StringComparison.Ordinal), branch => branch.UseRequestLocalization(options));
        return app;
    }
}
