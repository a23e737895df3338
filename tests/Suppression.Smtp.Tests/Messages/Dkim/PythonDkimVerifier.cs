using System.Diagnostics;

namespace Suppression.Smtp.Tests.Messages.Dkim;

/// <summary>
/// Debian's python3-dkim (dkimpy) as an independent verifier: it checks the first DKIM-Signature of
/// the bytes given, answering the key lookup with the TXT record given instead of asking DNS.
/// </summary>
public static class PythonDkimVerifier
{
    // Debian's interpreter, where the python3-dkim package installs; a pyenv python3 on PATH lacks it.
    public const string PythonPath = "/usr/bin/python3";

    private const string Script = """
        import logging, sys
        import dkim
        logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
        message = open(sys.argv[1], 'rb').read()
        record = open(sys.argv[2], 'rb').read()
        def lookup(name, timeout=5):
            print('queried ' + name.decode('ascii'))
            return record
        verified = dkim.verify(message, logger=logging.getLogger('dkim'), dnsfunc=lookup)
        print('verified' if verified else 'failed')
        """;

    private static readonly Lazy<string?> UnavailableReason = new(FindUnavailableReason);

    /// <summary>Null when the verifier can run; otherwise why not.</summary>
    public static string? SkipReason => UnavailableReason.Value;

    public static async Task<DkimVerification> VerifyAsync(byte[] message, string txtRecord)
    {
        var directory = Directory.CreateTempSubdirectory("dkim-verify-");
        try
        {
            var messagePath = Path.Combine(directory.FullName, "message.eml");
            var recordPath = Path.Combine(directory.FullName, "record.txt");
            await File.WriteAllBytesAsync(messagePath, message);
            await File.WriteAllTextAsync(recordPath, txtRecord);
            var (exitCode, output, errors) = await RunAsync("-c", Script, messagePath, recordPath);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exitCode == 0, $"python3-dkim crashed ({exitCode}): {errors}");
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

    private static string? FindUnavailableReason()
    {
        if (!File.Exists(PythonPath))
        {
            return $"{PythonPath} does not exist; the DKIM tests need Debian's python3-dkim (apt-get install -y python3-dkim).";
        }

        using var process = Process.Start(StartInfo("-c", "import dkim"))!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            return $"{PythonPath} -c 'import dkim' did not finish in 30 seconds.";
        }

        return process.ExitCode == 0
            ? null
            : $"{PythonPath} cannot import dkim ({errors.Trim().Split('\n')[^1]}); install Debian's python3-dkim (apt-get install -y python3-dkim).";
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var process = Process.Start(StartInfo(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
