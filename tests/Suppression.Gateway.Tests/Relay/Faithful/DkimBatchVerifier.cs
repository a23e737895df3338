using System.Diagnostics;

namespace Suppression.Gateway.Tests.Relay.Faithful;

/// <summary>
/// Two independent DKIM verifiers run once over a folder of relayed copies: Debian's python3-dkim
/// (dkimpy) and Perl's Mail::DKIM (libmail-dkim-perl). Each checks the gateway's signature (s=faithful)
/// of every copy, answering the key lookup for faithful._domainkey.* with the record given and no
/// other name, so a client's own signatures never send a query out.
/// </summary>
public static class DkimBatchVerifier
{
    private const string PythonScript = """
        import os, re, sys
        import dkim
        folder, record = sys.argv[1], open(sys.argv[2], 'rb').read()
        def lookup(name, timeout=5):
            return record if name.lower().startswith(b'faithful._domainkey.') else None
        for name in sorted(os.listdir(folder)):
            message = open(os.path.join(folder, name), 'rb').read()
            try:
                verifier = dkim.DKIM(message)
                signatures = [value for field, value in verifier.headers if field.lower() == b'dkim-signature']
                ours = [i for i, value in enumerate(signatures) if re.search(rb'(^|;)\s*s\s*=\s*faithful\s*(;|$)', value)]
                if not ours:
                    print(name + '\tnone\tno signature with s=faithful')
                    continue
                verified = verifier.verify(idx=ours[0], dnsfunc=lookup)
                print(name + '\t' + ('pass' if verified else 'fail') + '\t' + ('' if verified else 'signature does not verify'))
            except dkim.MessageFormatError as error:
                print(name + '\tunreadable\t' + str(error).replace('\n', ' ').replace('\t', ' '))
            except Exception as error:
                print(name + '\tfail\t' + type(error).__name__ + ': ' + str(error).replace('\n', ' ').replace('\t', ' '))
            sys.stdout.flush()
        """;

    private const string PerlScript = """
        use strict;
        use warnings;
        use Mail::DKIM::Verifier;
        use Net::DNS;
        my ($folder, $record_file) = @ARGV;
        open my $rf, '<', $record_file or die $!;
        my $record = do { local $/; <$rf> };
        {
            no warnings 'redefine';
            *Mail::DKIM::DNS::query = sub {
                my ($name, $type) = @_;
                if ($name =~ /^faithful\._domainkey\./i && uc $type eq 'TXT') {
                    return Net::DNS::RR->new(name => $name, type => 'TXT', txtdata => [unpack('(a255)*', $record)]);
                }
                $@ = 'NXDOMAIN';
                return;
            };
        }
        opendir my $dir, $folder or die $!;
        for my $name (sort grep { !/^\./ } readdir $dir) {
            open my $fh, '<:raw', "$folder/$name" or die $!;
            my $verifier = Mail::DKIM::Verifier->new;
            my ($result, $detail) = ('none', 'no signature with s=faithful');
            eval {
                while (read($fh, my $buffer, 65536)) { $verifier->PRINT($buffer); }
                $verifier->CLOSE;
                for my $signature ($verifier->signatures) {
                    next unless ($signature->selector // '') eq 'faithful';
                    ($result, $detail) = ($signature->result, $signature->result_detail // '');
                    last;
                }
                1;
            } or ($result, $detail) = ('fail', "error: $@");
            $detail =~ s/[\t\n]/ /g;
            print "$name\t$result\t$detail\n";
        }
        """;

    private static readonly Lazy<string?> UnavailableReason = new(() =>
        !Runs("/usr/bin/python3", "-c", "import dkim")
            ? "python3-dkim is not installed (apt-get install -y python3-dkim)."
            : !Runs("/usr/bin/perl", "-MMail::DKIM::Verifier", "-MNet::DNS", "-e", "1")
                ? "Perl's Mail::DKIM is not installed (apt-get install -y libmail-dkim-perl)."
                : null);

    /// <summary>Null when both verifiers can run; otherwise why not.</summary>
    public static string? SkipReason => UnavailableReason.Value;

    /// <summary>
    /// Per file of the folder: "pass", "fail", "none" (no gateway signature) or, from dkimpy only,
    /// "unreadable" (its header parser refuses the message, e.g. a header line with no colon), and the detail.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (string Result, string Detail)>> WithDkimpyAsync(string folder, string txtRecordFile, CancellationToken cancellationToken) =>
        Parse(await RunAsync("/usr/bin/python3", ["-c", PythonScript, folder, txtRecordFile], cancellationToken), "python3-dkim");

    public static async Task<IReadOnlyDictionary<string, (string Result, string Detail)>> WithMailDkimAsync(string folder, string txtRecordFile, CancellationToken cancellationToken) =>
        Parse(await RunAsync("/usr/bin/perl", ["-e", PerlScript, folder, txtRecordFile], cancellationToken), "Mail::DKIM");

    private static Dictionary<string, (string Result, string Detail)> Parse((int ExitCode, string Output, string Errors) run, string verifier)
    {
        Assert.True(run.ExitCode == 0, $"{verifier} crashed ({run.ExitCode}): {run.Errors}");
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[0], parts => (parts[1], parts.Length > 2 ? parts[2] : string.Empty));
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(program, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    private static bool Runs(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(StartInfo(program, arguments))!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(30_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static ProcessStartInfo StartInfo(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
