using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// A text field is found by its edge: SC 1.4.11 asks 3:1 between that edge (its border, or its own
/// background) and what surrounds it. axe checks the contrast of text only.
/// </summary>
public static class FieldEdgeCheck
{
    private const string FaintFields = """
        (() => {
          const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
          const luminance = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const ratio = (x, y) => { const [a, b] = [luminance(x), luminance(y)]; return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
          const opaque = c => rgb(c)[3] !== 0;
          const around = e => { for (let p = e.parentElement; p; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (opaque(c)) return c; } return 'rgb(255, 255, 255)'; };
          return [...document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]), textarea, select')]
            .filter(e => e.checkVisibility())
            .map(e => {
              const s = getComputedStyle(e), outside = around(e);
              const border = parseFloat(s.borderBottomWidth) >= 1 && s.borderBottomStyle !== 'none' ? ratio(s.borderBottomColor, outside) : 0;
              const fill = opaque(s.backgroundColor) ? ratio(s.backgroundColor, outside) : 0;
              return { name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''), best: Math.max(border, fill) };
            })
            .filter(f => f.best < 3)
            .map(f => `field-edge: ${f.name}'s edge has ${f.best.toFixed(1)}:1 contrast with what surrounds it, under 3:1 (SC 1.4.11)`);
        })()
        """;

    /// <summary>The text fields on the open page whose edges a person with low vision may not find, one sentence each.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(HeadlessChromium browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        return (await browser.EvaluateAsync(FaintFields)).EnumerateArray().Select(problem => problem.GetString()!).ToList();
    }
}
