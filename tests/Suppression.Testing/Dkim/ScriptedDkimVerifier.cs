using System.Diagnostics;

namespace Suppression.Testing.Dkim;

/// <summary>
/// An independent DKIM verifier run as a script of its own language: it checks the first
/// DKIM-Signature of the bytes given, answering the key lookup with the TXT record given instead of
/// asking DNS, and prints "queried NAME" for each lookup and "verified" or "failed".
/// </summary>
/// <param name="name">How failures name it, e.g. "python3-dkim".</param>
/// <param name="interpreter">The interpreter's path.</param>
/// <param name="scriptFlag">The flag that runs a script given on the command line ("-c", "-e").</param>
/// <param name="probe">Arguments that exit 0 only when the verifier's modules load.</param>
/// <param name="package">The Debian package that provides them.</param>
public sealed class ScriptedDkimVerifier(string name, string interpreter, string scriptFlag, string script, string[] probe, string package)
{
    private readonly Lazy<string?> _unavailableReason = new(() => FindUnavailableReason(name, interpreter, probe, package));

    /// <summary>Null when the verifier can run; otherwise why not.</summary>
    public string? SkipReason => _unavailableReason.Value;

    public async Task<DkimVerification> VerifyAsync(byte[] message, string txtRecord)
    {
        var directory = Directory.CreateTempSubdirectory("dkim-verify-");
        try
        {
            var messagePath = Path.Combine(directory.FullName, "message.eml");
            var recordPath = Path.Combine(directory.FullName, "record.txt");
            await File.WriteAllBytesAsync(messagePath, message);
            await File.WriteAllTextAsync(recordPath, txtRecord);
            var (exitCode, output, errors) = await RunAsync(interpreter, scriptFlag, script, messagePath, recordPath);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exitCode == 0, $"{name} crashed ({exitCode}): {errors}");
            return new DkimVerification(
                lines.Contains("verified"),
                lines.Where(line => line.StartsWith("queried ", StringComparison.Ordinal)).Select(line => line[8..]).ToList(),
                errors);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string? FindUnavailableReason(string name, string interpreter, string[] probe, string package)
    {
        var install = $"install Debian's {package} (apt-get install -y {package})";
        if (!File.Exists(interpreter))
        {
            return $"{interpreter} does not exist; the DKIM tests need {name}: {install}.";
        }

        using var process = Process.Start(StartInfo(interpreter, probe))!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            return $"{interpreter} {string.Join(' ', probe)} did not finish in 30 seconds.";
        }

        return process.ExitCode == 0
            ? null
            : $"{interpreter} cannot load {name} ({errors.Trim().Split('\n')[^1]}); {install}.";
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string interpreter, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var process = Process.Start(StartInfo(interpreter, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static ProcessStartInfo StartInfo(string interpreter, string[] arguments)
    {
        var start = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
