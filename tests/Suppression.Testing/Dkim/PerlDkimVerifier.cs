namespace Suppression.Testing.Dkim;

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

    private static readonly ScriptedDkimVerifier Verifier = new(
        "Mail::DKIM", PerlPath, "-e", Script, ["-MMail::DKIM::Verifier", "-MNet::DNS", "-e", "1"], "libmail-dkim-perl");

    /// <summary>Null when the verifier can run; otherwise why not.</summary>
    public static string? SkipReason => Verifier.SkipReason;

    public static Task<DkimVerification> VerifyAsync(byte[] message, string txtRecord) => Verifier.VerifyAsync(message, txtRecord);
}
