namespace Suppression.Gateway.Tests.Console;

/// <summary>A test that needs Chromium, Node and the console-e2e packages; skipped, saying which is missing, where one is.</summary>
public sealed class ConsoleBrowserFactAttribute : FactAttribute
{
    public ConsoleBrowserFactAttribute()
    {
        if (ConsoleScript.Missing is { } missing)
        {
            Skip = missing;
        }
    }
}
