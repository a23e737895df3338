namespace Suppression.Cli;

/// <summary>
/// Where the tool reads and writes, and whether a person is watching. The process console in
/// production; captured writers and a fake environment in tests.
/// </summary>
internal sealed class Terminal
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required TextReader In { get; init; }

    /// <summary>Standard output as bytes, for downloads that must reach it unchanged.</summary>
    public required Func<Stream> OpenStandardOutput { get; init; }

    /// <summary>Progress is drawn only when this is false: a log file gets no carriage-return noise.</summary>
    public required bool IsErrorRedirected { get; init; }

    /// <summary>Confirmation is asked only when this is false: nobody can answer a pipe.</summary>
    public required bool IsInputRedirected { get; init; }

    public required Func<int> ErrorWidth { get; init; }

    public required Func<string, string?> Environment { get; init; }

    /// <summary>The clock progress is redrawn by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static Terminal FromConsole() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        OpenStandardOutput = Console.OpenStandardOutput,
        IsErrorRedirected = Console.IsErrorRedirected,
        IsInputRedirected = Console.IsInputRedirected,
        ErrorWidth = ConsoleWidth,
        Environment = System.Environment.GetEnvironmentVariable,
    };

    private static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
