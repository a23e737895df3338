using Suppression.Gateway.Tests.Console;
using Suppression.Gateway.Tests.Feedback;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// The console's pages as an operator reaches them, checked with axe-core in headless Chromium at
/// 1280 px, at 200% zoom and at 320 px: zero WCAG 2.2 A/AA violations and no sideways scrolling.
/// Screenshots land in a11y-screenshots/console beside the test binaries.
/// </summary>
[Collection(ConsoleTests.Name)]
public sealed class ConsoleAccessibilityTests(ConsoleFixture fixture)
{
    [AxeFact]
    public async Task Every_console_page_has_no_accessibility_violations_at_any_width()
    {
        var gateway = await fixture.GatewayAsync(Backends.Embedded);
        var address = Mail.UniqueAddress("a11y");
        await fixture.UnsubscribeThenBlockAsync(gateway, address);
        Assert.Equal("250 2.0.0 Report received; held for review",
            await FeedbackReports.MailAsync(gateway, ConsoleFixture.FeedbackAddress, FeedbackReports.Dsn(Mail.UniqueAddress("held"))));
        var console = $"http://127.0.0.1:{gateway.HttpPort}/console";
        await using var browser = await HeadlessChromium.StartAsync();
        var audit = new AccessibilityAudit(browser, AccessibilityAudit.ScreenshotFolder("console"));

        await browser.NavigateAsync(new Uri(console + "/login"));
        await audit.CheckAsync("01-login");
        await browser.FillAsync("API key", "not-a-key");
        await browser.ClickButtonAsync("Sign in");
        await audit.CheckAsync("02-login-refused");

        await browser.FillAsync("API key", GatewayInstance.AdminKey);
        await browser.ClickButtonAsync("Sign in");
        await audit.CheckAsync("03-dashboard");
        await browser.ClickButtonAsync("Verify the chains now");
        await audit.CheckAsync("04-dashboard-verified");

        await browser.NavigateAsync(new Uri(console + "/address"));
        await audit.CheckAsync("05-address-form");
        await browser.FillAsync("Address", address);
        await browser.ClickButtonAsync("Show history");
        Assert.Contains("History", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("06-address-history");

        await browser.NavigateAsync(new Uri(console + "/audit?type=blocked"));
        await audit.CheckAsync("07-audit-log");

        await browser.NavigateAsync(new Uri(console + "/review"));
        await audit.CheckAsync("08-review-queue");
        var report = (await browser.EvaluateAsync("document.querySelector('a[href^=\"/console/review/\"]').href")).GetString()!;
        await browser.NavigateAsync(new Uri(report));
        await audit.CheckAsync("09-review-report");

        // Dismissed, so the queue is as the other console tests expect it.
        await browser.ClickButtonAsync("Dismiss");
        Assert.Contains("dismissed", await browser.TextAsync(), StringComparison.Ordinal);
        await audit.CheckAsync("10-review-dismissed");

        await browser.NavigateAsync(new Uri(console + "/webhooks"));
        await audit.CheckAsync("11-webhooks");

        Assert.True(audit.Findings.Count == 0, "accessibility findings:" + Environment.NewLine + audit.Report);
    }
}
