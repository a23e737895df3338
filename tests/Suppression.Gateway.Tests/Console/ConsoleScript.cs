using System.Diagnostics;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Console;

/// <summary>
/// tests/console-e2e/console.e2e.mjs: Playwright (playwright-core from npm ci) driving Debian's
/// Chromium through the console, run with Node as CI runs it.
/// </summary>
public static class ConsoleScript
{
    public const string Node = "node";

    private const int MinimumNodeVersion = 20;

    private static readonly Lazy<int?> NodeMajorVersion = new(ReadNodeMajorVersion);

    /// <summary>The tests/console-e2e directory of this checkout, found upwards from the test binaries.</summary>
    public static string? Directory { get; } = Find();

    /// <summary>Why the script cannot run here, or null when it can.</summary>
    public static string? Missing =>
        !HeadlessChromium.IsInstalled ? $"Chromium is not installed at {HeadlessChromium.ExecutablePath} (Debian: apt-get install chromium)."
        : Directory is null ? "tests/console-e2e was not found above " + AppContext.BaseDirectory
        : !System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "playwright-core")) ? $"playwright-core is not installed: run 'npm ci' in {Directory}."
        : NodeMajorVersion.Value is not { } major ? "Node.js is not installed (node is not on PATH)."
        : major < MinimumNodeVersion ? $"Node.js {major} is too old: playwright-core needs {MinimumNodeVersion} or later."
        : null;

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Node)
        {
            WorkingDirectory = Directory!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("console.e2e.mjs");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"console.e2e.mjs did not finish within {timeout.TotalSeconds} s: {await output}{await errors}");
        }

        return (process.ExitCode, (await output) + (await errors));
    }

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "console-e2e");
            if (File.Exists(Path.Combine(candidate, "console.e2e.mjs")))
            {
                return candidate;
            }
        }

        return null;
    }

    // "v20.20.2" -> 20; null when there is no node to ask.
    private static int? ReadNodeMajorVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo(Node, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var version = node.StandardOutput.ReadToEnd().Trim().TrimStart('v');
            node.WaitForExit(10_000);
            return int.TryParse(version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
