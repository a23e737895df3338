using System.Text.Json;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>
/// What axe cannot see: a keyboard user pressing Tab through the page. Every visible control must be
/// reached (SC 2.1.1), and each must show a focus indicator (SC 2.4.7) whose outline has 3:1
/// contrast against the background around it (SC 1.4.11).
/// </summary>
public static class FocusCheck
{
    // Enough for the longest page the tests open (an audit page of records with links), with room to spare.
    private const int MostTabs = 400;

    // The focused element's name and its indicator's contrast against the nearest opaque background.
    private const string DescribeFocus = """
        (() => {
          const e = document.activeElement;
          if (!e || e === document.body || e === document.documentElement) return null;
          // Focus on a part inside a control's own browser-drawn shadow tree (a date field's calendar
          // button): the field is not :focus then, and the browser's ring is drawn on that part.
          if (!e.matches(':focus')) return null;
          // A date field takes several presses (day, month, year): only another control already reached means the round is over.
          const again = (window.__tabbed ??= new Set()).has(e) && window.__last !== e;
          window.__tabbed.add(e);
          window.__last = e;
          const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
          const luminance = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          let background = 'rgb(255, 255, 255)';
          for (let p = e.parentElement; p; p = p.parentElement) { const c = getComputedStyle(p).backgroundColor; if (rgb(c)[3] !== 0) { background = c; break; } }
          const s = getComputedStyle(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
          const [a, b] = [luminance(s.outlineColor), luminance(background)];
          return {
            again,
            name: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 40) + '"',
            indicator: outline || s.boxShadow !== 'none',
            style: `outline ${s.outlineStyle} ${s.outlineWidth}, box-shadow ${s.boxShadow}, :focus ${e.matches(':focus')}, :focus-visible ${e.matches(':focus-visible')}`,
            contrast: outline ? (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) : null,
          };
        })()
        """;

    private const string Unreached = """
        [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
          .filter(e => !e.disabled && e.checkVisibility() && !(window.__tabbed ?? new Set()).has(e))
          .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' "' + (e.innerText || e.value || '').trim().slice(0, 40) + '"')
        """;

    /// <summary>What a keyboard user would miss on the open page, one sentence each.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(HeadlessChromium browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var problems = new List<string>();
        await browser.EvaluateAsync("window.__tabbed = new Set(); window.__last = null");
        for (var tab = 0; tab < MostTabs; tab++)
        {
            await browser.PressTabAsync();
            var focus = await browser.EvaluateAsync(DescribeFocus);
            if (focus.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // Round the page once: back at a control already reached.
            if (focus.GetProperty("again").GetBoolean())
            {
                break;
            }

            var name = focus.GetProperty("name").GetString()!;

            if (!focus.GetProperty("indicator").GetBoolean())
            {
                problems.Add($"focus-visible: {name} shows no focus indicator (SC 2.4.7): {focus.GetProperty("style").GetString()}");
            }
            else if (focus.GetProperty("contrast") is { ValueKind: JsonValueKind.Number } contrast && contrast.GetDouble() < 3)
            {
                problems.Add($"focus-contrast: {name}'s focus outline has {contrast.GetDouble():0.0}:1 contrast with the background around it, under 3:1 (SC 1.4.11)");
            }
        }

        foreach (var control in (await browser.EvaluateAsync(Unreached)).EnumerateArray())
        {
            problems.Add($"keyboard: {control.GetString()} is never reached with Tab (SC 2.1.1)");
        }

        return problems;
    }
}
