using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>The check itself can fail: a page with known faults is reported with the rule, the element and how to fix it.</summary>
public sealed class AccessibilityAuditTests
{
    // No lang, a faint field without a label, an image without text, grey on white, a button without a focus outline, and a box wider than a phone.
    private const string FaultyPage =
        "<!DOCTYPE html><html><head><title>Faulty</title></head><body><main><h1>Faulty</h1>"
        + "<input type=\"text\" id=\"nameless\" style=\"border:1px solid #eee\"><img src=\"data:,\" id=\"wordless\"><p style=\"color:#bbb\">faint</p>"
        + "<button id=\"plain\" style=\"outline:none\">Go</button><div style=\"width:600px\">wide</div></main></body></html>";

    [AxeFact]
    public async Task A_page_with_known_faults_is_reported_rule_by_rule_at_every_width()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        var audit = new AccessibilityAudit(browser, AccessibilityAudit.ScreenshotFolder("faulty"));
        await browser.NavigateAsync(new Uri("data:text/html," + Uri.EscapeDataString(FaultyPage)));

        await audit.CheckAsync("faulty");

        var report = audit.Report;
        foreach (var rule in new[] { "html-has-lang", "label", "image-alt", "color-contrast" })
        {
            Assert.Contains($"faulty at 320px: {rule} (", report, StringComparison.Ordinal);
        }

        Assert.Contains("#nameless", report, StringComparison.Ordinal);
        Assert.Contains("https://dequeuniversity.com/rules/axe/", report, StringComparison.Ordinal);
        Assert.Contains("faulty at 320px: focus-visible: button#plain \"Go\" shows no focus indicator", report, StringComparison.Ordinal);
        Assert.Contains("faulty at 320px: field-edge: input#nameless's edge has 1.2:1 contrast", report, StringComparison.Ordinal);
        Assert.Contains("faulty at 320px: scrolls sideways", report, StringComparison.Ordinal);
        Assert.DoesNotContain("faulty at 1280px: scrolls sideways", report, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "a11y-screenshots", "faulty", "faulty-320px.png")));
    }
}
