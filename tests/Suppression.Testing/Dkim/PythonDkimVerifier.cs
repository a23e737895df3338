namespace Suppression.Testing.Dkim;

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

    private static readonly ScriptedDkimVerifier Verifier = new("python3-dkim", PythonPath, "-c", Script, ["-c", "import dkim"], "python3-dkim");

    /// <summary>Null when the verifier can run; otherwise why not.</summary>
    public static string? SkipReason => Verifier.SkipReason;

    public static Task<DkimVerification> VerifyAsync(byte[] message, string txtRecord) => Verifier.VerifyAsync(message, txtRecord);
}
