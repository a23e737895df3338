namespace Suppression.Gateway.Console;

/// <summary><c>Suppression:Console</c>: the compliance console at /console.</summary>
public sealed class ConsoleOptions
{
    /// <summary>Failed sign-ins per client IP address per minute; after that every sign-in from it gets 429 until the minute is over.</summary>
    public int SignInFailuresPerMinute { get; set; } = 10;
}
