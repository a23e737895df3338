namespace Suppression.Gateway.Tests.Accessibility;

/// <summary>A test that needs Chromium and axe-core; skipped, saying which is missing, where one is.</summary>
public sealed class AxeFactAttribute : FactAttribute
{
    public AxeFactAttribute()
    {
        if (AxeCheck.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}
