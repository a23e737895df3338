using System.Diagnostics;

namespace Suppression.Smtp.Tests.Messages.Dkim;

/// <summary>
/// Perl's Mail::DKIM (Debian's libmail-dkim-perl) as a second verifier that is not Python: it checks
/// the first DKIM-Signature of the bytes given, answering the key lookup with the TXT record given.
/// </summary>
public static class PerlDkimVerifier
{
    public const string PerlPath = "/usr/bin/perl";

    private const string Script = """
        use strict;
        use warnings;
        use Mail::DKIM::Verifier;
        use Net::DNS;
        my ($message_file, $record_file) = @ARGV;
        open my $rf, '<', $record_file or die $!;
        my $record = do { local $/; <$rf> };
        {
            no warnings 'redefine';
            *Mail::DKIM::DNS::query = sub {
                my ($name, $type) = @_;
                print "queried $name\n";
                return Net::DNS::RR->new(name => $name, type => 'TXT', txtdata => [unpack('(a255)*', $record)]);
            };
        }
        open my $fh, '<:raw', $message_file or die $!;
        my $verifier = Mail::DKIM::Verifier->new;
        while (read($fh, my $buffer, 65536)) { $verifier->PRINT($buffer); }
        $verifier->CLOSE;
        my ($signature) = $verifier->signatures;
        print STDERR ($signature ? $signature->result_detail : 'no signature') . "\n";
        print(($signature && $signature->result eq 'pass') ? "verified\n" : "failed\n");
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
            var (exitCode, output, errors) = await RunAsync("-e", Script, messagePath, recordPath);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(exitCode == 0, $"Mail::DKIM crashed ({exitCode}): {errors}");
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
        if (!File.Exists(PerlPath))
        {
            return $"{PerlPath} does not exist; the DKIM tests need Debian's libmail-dkim-perl (apt-get install -y libmail-dkim-perl).";
        }

        using var process = Process.Start(StartInfo("-MMail::DKIM::Verifier", "-MNet::DNS", "-e", "1"))!;
        process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            return $"{PerlPath} -MMail::DKIM::Verifier did not finish in 30 seconds.";
        }

        return process.ExitCode == 0
            ? null
            : $"{PerlPath} cannot load Mail::DKIM ({errors.Trim().Split('\n')[0]}); install Debian's libmail-dkim-perl (apt-get install -y libmail-dkim-perl).";
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
        var start = new ProcessStartInfo(PerlPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
