using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// Checks each state of a page, as the browser has it open, at the widths WCAG 2.2 asks a page to
/// work at: axe-core's WCAG A and AA rules, a keyboard walk (<see cref="FocusCheck"/>), text fields'
/// edges (<see cref="FieldEdgeCheck"/>), no sideways scrolling, and a full-page screenshot kept
/// as a test artefact. Findings are collected, not thrown, so one run lists everything to fix.
/// </summary>
public sealed class AccessibilityAudit(HeadlessChromium browser, string screenshotFolder)
{
    /// <summary>
    /// A desktop window; the same window at 200% zoom (1280 / 2 = 640 CSS pixels: zooming divides the
    /// CSS width, which is what reflow and resize-text depend on, SC 1.4.4); and 320 CSS pixels, the
    /// width SC 1.4.10 (Reflow) requires content to fit without scrolling in two directions; then
    /// the phone width again with the dark colour scheme the pages also style (contrast there too).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, int Width, int Height, string ColorScheme)> Viewports =
        [("1280px", 1280, 900, "light"), ("zoom-200pct", 640, 450, "light"), ("320px", 320, 640, "light"), ("320px-dark", 320, 640, "dark")];

    private readonly List<string> _findings = [];

    public IReadOnlyList<string> Findings => _findings;

    /// <summary>Everything found, one line each, or nothing.</summary>
    public string Report => string.Join(Environment.NewLine, _findings);

    /// <summary>Checks the page open now at every viewport (re-laid out in place: a page that answered a POST is not reloaded).</summary>
    public async Task CheckAsync(string state)
    {
        foreach (var (name, width, height, colorScheme) in Viewports)
        {
            await browser.SetViewportAsync(width, height);
            await browser.SetColorSchemeAsync(colorScheme);
            foreach (var violation in await AxeCheck.RunAsync(browser))
            {
                _findings.Add($"{state} at {name}: {violation}");
            }

            foreach (var problem in (await FocusCheck.RunAsync(browser)).Concat(await FieldEdgeCheck.RunAsync(browser)))
            {
                _findings.Add($"{state} at {name}: {problem}");
            }

            var widths = await browser.EvaluateAsync("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scrollWidth, clientWidth) = (widths[0].GetInt32(), widths[1].GetInt32());
            if (scrollWidth > clientWidth)
            {
                var wide = await browser.EvaluateAsync(
                    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth).slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).join(', ')");
                _findings.Add($"{state} at {name}: scrolls sideways (scrollWidth {scrollWidth} > clientWidth {clientWidth}; wider: {wide.GetString()})");
            }

            await browser.ScreenshotAsync(Path.Combine(screenshotFolder, $"{state}-{name}.png"));
        }

        await browser.SetColorSchemeAsync("light");
    }

    /// <summary>A fresh folder for one test's screenshots, beside the test binaries as the console's are.</summary>
    public static string ScreenshotFolder(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "a11y-screenshots", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }
}
