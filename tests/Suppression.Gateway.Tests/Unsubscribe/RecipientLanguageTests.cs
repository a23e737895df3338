using System.Globalization;
using System.Net;
using System.Resources;
using System.Text.RegularExpressions;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Unsubscribe;

namespace Suppression.Gateway.Tests.Unsubscribe;

/// <summary>
/// The recipient's pages in the recipient's language (issue 22): every language has every text, with
/// the same placeholders; the browser's Accept-Language chooses, <c>?lang=</c> overrides, anything the
/// pages do not speak is English; the page says its language, names the sender's lists in it, and
/// offers the switch; what a POST answers stays in the language the form was shown in.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed partial class RecipientLanguageTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    public static TheoryData<string> Languages => [.. RecipientLanguage.Supported.Select(language => language.Code)];

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_language_has_every_text_with_the_placeholders_of_the_english(string language)
    {
        var resources = new ResourceManager(RecipientPageText.ResourceName, typeof(RecipientPageText).Assembly);
        var english = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var own = resources.GetResourceSet(language == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false);

        Assert.NotNull(own);
        var missing = new List<string>();
        foreach (var name in RecipientPageText.Names)
        {
            var text = own.GetString(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                missing.Add(name + ": missing");
            }
            else if (!Placeholders(text).SetEquals(Placeholders(english.GetString(name)!)))
            {
                missing.Add($"{name}: placeholders {string.Join(",", Placeholders(text))} where English has {string.Join(",", Placeholders(english.GetString(name)!))}");
            }
        }

        Assert.True(missing.Count == 0, $"{language}: " + string.Join("; ", missing));
        Assert.Equal(language, RecipientPageText.For(CultureInfo.GetCultureInfo(language)).Language);
    }

    [Fact]
    public async Task Accept_language_chooses_the_page_language_and_the_sender_s_list_is_named_in_it()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var link = Link(gateway, fixture.Mint(Mail.UniqueAddress("leser"), "outdoor", "deals"));

        var page = await GetAsync(link, "de-DE,de;q=0.9,en;q=0.5");

        Assert.Contains("<html lang=\"de\">", page, StringComparison.Ordinal);
        Assert.Contains("<title>Abmelden</title>", page, StringComparison.Ordinal);
        Assert.Contains("Angebote", page, StringComparison.Ordinal);
        Assert.Contains("Meine Auswahl speichern", page, StringComparison.Ordinal);
        Assert.Contains("l\u2022\u2022\u2022@example.com", page, StringComparison.Ordinal);
        var languages = LanguageLinks().Matches(page).Select(match => match.Groups[1].Value).ToList();
        Assert.Equal(RecipientLanguage.Supported.Select(language => language.Code), languages);
        Assert.Contains("hreflang=\"de\" aria-current=\"true\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_switch_overrides_the_browser_and_a_language_the_pages_do_not_speak_is_english()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var link = Link(gateway, fixture.Mint(Mail.UniqueAddress("reader"), "outdoor", "news"));

        var japanese = await GetAsync(new Uri(link + "?lang=ja"), "de-DE");
        var unknown = await GetAsync(link, "sw-KE,tlh;q=0.8");
        var unknownSwitch = await GetAsync(new Uri(link + "?lang=xx"), "fr-CA");

        Assert.Contains("<html lang=\"ja\">", japanese, StringComparison.Ordinal);
        Assert.Contains("<title>配信停止</title>", japanese, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", unknown, StringComparison.Ordinal);
        Assert.Contains("<title>Unsubscribe</title>", unknown, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", unknownSwitch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answer_to_the_page_s_button_is_in_the_language_the_page_was_shown_in_and_so_are_error_pages()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        var link = Link(gateway, fixture.Mint(Mail.UniqueAddress("lecteur"), "outdoor", "news"));

        // The page's own form posts to the page's URL, so ?lang= travels with it.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(link + "?lang=fr"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["source"] = "page" }),
        };
        using var done = await fixture.Client.SendAsync(request);
        var donePage = WebUtility.HtmlDecode(await done.Content.ReadAsStringAsync());
        var invalid = await GetAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/not-a-token"), "es-ES");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("<title>Vous êtes désabonné</title>", donePage, StringComparison.Ordinal);
        Assert.Contains("?lang=fr\"", donePage, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"es\">", invalid, StringComparison.Ordinal);
        Assert.Contains("Este enlace para darse de baja no es válido", invalid, StringComparison.Ordinal);
    }

    private static HashSet<string> Placeholders(string text) => [.. PlaceholderPattern().Matches(text).Select(match => match.Value)];

    private static Uri Link(GatewayInstance gateway, string token) => new($"http://127.0.0.1:{gateway.HttpPort}/u/{token}");

    private async Task<string> GetAsync(Uri link, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, link);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using var response = await fixture.Client.SendAsync(request);

        // The pages encode every character beyond ASCII that WebUtility does (é as &#233;): read as a browser shows them.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("<a href=\"\\?lang=([a-z]+)\"")]
    private static partial Regex LanguageLinks();
}
