using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// axe-core (tests/a11y, pinned in its package-lock.json, installed with npm ci) run in the page a
/// <see cref="HeadlessChromium"/> has open, against the WCAG 2.0, 2.1 and 2.2 level A and AA rules and axe's best practices.
/// </summary>
public static class AxeCheck
{
    /// <summary>
    /// axe-core's tags for the WCAG 2.2 AA conformance target (each version's A and AA rules), and its
    /// best practices, which hold the landmarks and heading structure (one main, headings in order)
    /// that WCAG leaves to judgement.
    /// </summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"];

    private static readonly Lazy<string> Script = new(() => File.ReadAllText(ScriptPath!));

    /// <summary>node_modules/axe-core/axe.min.js under tests/a11y of this checkout, found upwards from the test binaries.</summary>
    public static string? ScriptPath { get; } = Find();

    /// <summary>Why axe cannot run here, or null when it can.</summary>
    public static string? Missing =>
        !HeadlessChromium.IsInstalled ? $"Chromium is not installed at {HeadlessChromium.ExecutablePath} (Debian: apt-get install chromium)."
        : ScriptPath is null ? "axe-core is not installed: run 'npm ci' in tests/a11y."
        : null;

    /// <summary>The rules the open page breaks, in the state it is in now.</summary>
    public static async Task<IReadOnlyList<AxeViolation>> RunAsync(HeadlessChromium browser)
    {
        ArgumentNullException.ThrowIfNull(browser);

        // Each new document needs axe again. DevTools evaluation is not script the page's CSP governs.
        if (!(await browser.EvaluateAsync("typeof window.axe === 'object'")).GetBoolean())
        {
            await browser.EvaluateAsync(Script.Value);
        }

        var options = JsonSerializer.Serialize(new { runOnly = new { type = "tag", values = Tags }, resultTypes = new[] { "violations" } });
        var report = await browser.EvaluateAsync(
            $"axe.run(document, {options}).then(r => JSON.stringify(r.violations.map(v => ({{ id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map(n => n.target.join(' ')) }}))))",
            awaitPromise: true);
        using var violations = JsonDocument.Parse(report.GetString()!);
        return violations.RootElement.EnumerateArray()
            .Select(v => new AxeViolation(
                v.GetProperty("id").GetString()!,
                v.GetProperty("impact").GetString()!,
                v.GetProperty("help").GetString()!,
                v.GetProperty("helpUrl").GetString()!,
                v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()))
            .ToList();
    }

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "a11y", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
