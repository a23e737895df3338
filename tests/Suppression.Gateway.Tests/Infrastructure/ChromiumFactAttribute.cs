namespace Suppression.Gateway.Tests.Infrastructure;

/// <summary>A test that needs Debian's Chromium; skipped, saying why, where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!HeadlessChromium.IsInstalled)
        {
            Skip = $"Chromium is not installed at {HeadlessChromium.ExecutablePath} (Debian: apt-get install chromium).";
        }
    }
}
