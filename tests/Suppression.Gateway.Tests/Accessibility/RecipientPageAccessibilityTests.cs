using System.Net;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// Every state a recipient can reach from an unsubscribe link (the preference center included, and
/// in German and Japanese as well as English), checked with axe-core in headless Chromium at 1280 px,
/// at 200% zoom and at 320 px: zero WCAG 2.2 A/AA violations and no sideways scrolling. Screenshots land in a11y-screenshots/recipient beside the test binaries.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class RecipientPageAccessibilityTests(UnsubscribeFixture fixture) : IClassFixture<UnsubscribeFixture>
{
    [AxeFact]
    public async Task Every_recipient_page_state_has_no_accessibility_violations_at_any_width()
    {
        var gateway = await fixture.GatewayAsync("embedded");
        await using var browser = await HeadlessChromium.StartAsync();
        var audit = new AccessibilityAudit(browser, AccessibilityAudit.ScreenshotFolder("recipient"));

        var reader = Mail.UniqueAddress("reader");
        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(reader, "acme", "deals")));
        await audit.CheckAsync("01-confirm");
        await browser.ClickButtonAsync("Unsubscribe");
        await audit.CheckAsync("02-unsubscribed-with-widen-and-undo");
        await browser.ClickButtonAsync("Undo");
        await audit.CheckAsync("03-subscribed-again");

        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(Mail.UniqueAddress("widener"), "acme", "deals")));
        await browser.ClickButtonAsync("Unsubscribe");
        await browser.ClickButtonAsync("Stop all mail from this sender");
        await audit.CheckAsync("04-widened-to-the-sender");

        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(Mail.UniqueAddress("global"))));
        await audit.CheckAsync("05-confirm-without-a-sender");

        // 409: the page's undo after a newer one-click unsubscribe from another link.
        var twoLinks = Mail.UniqueAddress("two-links");
        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(twoLinks, "acme", "deals", DateTimeOffset.UtcNow.AddDays(-7))));
        await browser.ClickButtonAsync("Unsubscribe");
        using (var oneClick = await fixture.Client.PostAsync(
            PageUrl(gateway, fixture.Mint(twoLinks, "acme", "deals")),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        await browser.ClickButtonAsync("Undo");
        Assert.Contains("can no longer be undone", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("06-undo-too-late");

        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(reader, "acme", "deals", DateTimeOffset.UtcNow.AddDays(-90))));
        Assert.Contains("has expired", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("07-expired-link");

        await browser.NavigateAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/not-a-token"));
        Assert.Contains("is not valid", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("08-invalid-link");

        // The preference center (tenant outdoor's catalogue), and the pages in a second and a third language.
        var chooser = Mail.UniqueAddress("chooser");
        await browser.NavigateAsync(PageUrl(gateway, fixture.Mint(chooser, "outdoor", "deals")));
        await audit.CheckAsync("09-preference-center");
        await browser.ClickButtonAsync("Save my choices");
        await audit.CheckAsync("10-choices-saved");
        await browser.NavigateAsync(new Uri(PageUrl(gateway, fixture.Mint(chooser, "outdoor", "deals")) + "?lang=de"));
        await audit.CheckAsync("11-preference-center-de");
        await browser.ClickButtonAsync("Meine Auswahl speichern");
        await audit.CheckAsync("12-choices-saved-de");
        await browser.NavigateAsync(new Uri(PageUrl(gateway, fixture.Mint(Mail.UniqueAddress("dokusha"), "acme", "deals")) + "?lang=ja"));
        await audit.CheckAsync("13-confirm-ja");
        await browser.ClickButtonAsync("配信停止");
        await audit.CheckAsync("14-unsubscribed-ja");
        await browser.NavigateAsync(new Uri($"http://127.0.0.1:{gateway.HttpPort}/u/not-a-token?lang=de"));
        Assert.Contains("ungültig", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("15-invalid-link-de");

        Assert.True(audit.Findings.Count == 0, "accessibility findings:" + Environment.NewLine + audit.Report);
    }

    private static Uri PageUrl(GatewayInstance gateway, string token) => new($"http://127.0.0.1:{gateway.HttpPort}/u/{token}");
}
