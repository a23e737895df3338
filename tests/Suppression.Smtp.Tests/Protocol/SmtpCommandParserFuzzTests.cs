using System.Text;
using Suppression.Addresses;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Protocol.Commands;
using Suppression.Testing.Fuzzing;

namespace Suppression.Smtp.Tests.Protocol;

// A command line is the first thing an attacker controls. Whatever its bytes, the parser gives a
// command or a 5xx reply, never an exception; a reply's text is RFC 5321 text (so nothing the
// client wrote comes back as a control character or a line break); and an address it accepts is
// already in canonical form.
public sealed class SmtpCommandParserFuzzTests
{
    private static readonly string[] Verbs =
    [
        "EHLO", "HELO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "VRFY", "HELP", "STARTTLS", "AUTH", "EXPN", "BDAT", "XCLIENT",
        "ehlo", "Mail", "rcpt", "MAILFROM:", "", " ", "E\u0048LO", "\u0130NFO", "DATA\t",
    ];

    private static readonly string[] LocalParts =
    [
        "a", "John.Doe", "user+tag", "\"john doe\"", "\"a\\\"b\"", "\"a>b\"", "\"a@b\"", "r\u00e9my", "\u7528\u6237", "J\u030C", "\u0130\u0323",
        new string('x', 64),
    ];

    private static readonly string[] OddLocalParts = ["\"\"", "\"unclosed", ".a", "a..b", new string('x', 65), "a\tb", "a b", "\"a\rb\"", "\"\\", ""];

    private static readonly string[] Domains =
    [
        "example.com", "EXAMPLE.com.", "b\u00FCcher.example", "xn--bcher-kva.example", "[192.0.2.1]", "[IPv6:2001:db8::1]", "example\uFF0Ecom",
        "gmail.com", "pm.me",
    ];

    private static readonly string[] OddDomains = ["[300.1.1.1]", "[IPv6:fe80::1%25eth0]", "-x-.example", "", "a..b", new string('d', 64) + ".example", "exa mple.com"];

    private static readonly string[] Parameters = ["SIZE=1000", "SIZE=0", "BODY=8BITMIME", "BODY=7BIT", "SMTPUTF8", "AUTH=<>", "AUTH=a@example.com"];

    private static readonly string[] OddParameters =
    [
        "SIZE=", "SIZE=-1", "SIZE=99999999999999999999", "SIZE=18446744073709551616", "SIZE=1e3", "BODY=BINARYMIME", "BODY", "SMTPUTF8=YES",
        "RET=HDRS", "ENVID=x", "NOTIFY=NEVER", "ORCPT=rfc822;b@example.com", "=", "X=Y=Z", "K\u00C9Y=1", "K\rY=1", "K\u001BY=1", "KEY\u0085", "\u00A0",
    ];

    private static readonly string[] Tokens = [.. Verbs, .. OddParameters, .. OddLocalParts, .. OddDomains, " ", "  ", ":", "<", ">", "<>", "FROM:", "TO:", "@a,@b:", "\r", "\n", "\0"];

    [Fact]
    public Task Any_line_is_a_command_or_a_5xx_reply_in_rfc_5321_text() =>
        Fuzz.RunAsync(defaultSeed: 5321, defaultIterations: 30_000, Generate, AssertParsesSafely);

    public static TheoryData<byte[]> FoundByFuzzing => new()
    {
        // The keyword of an unknown parameter went back to the client in the 555 reply, control
        // characters and all (RFC 5321 4.2: reply text is printable ASCII, space and tab).
        "MAIL FROM:<a@b> K\rY=1"u8.ToArray(),
        "RCPT TO:<a@b> \u001B[2J"u8.ToArray(),
        Encoding.UTF8.GetBytes("MAIL FROM:<a@b> K\u00C9Y"),
    };

    [Theory]
    [MemberData(nameof(FoundByFuzzing))]
    public void Lines_found_by_fuzzing_are_answered_safely(byte[] line) => AssertParsesSafely(line);

    private static byte[] Generate(FuzzRandom random)
    {
        if (random.Chance(0.2))
        {
            return random.Bytes(600);
        }

        var line = Line(random);
        if (random.Chance(0.35))
        {
            line = random.Mutate(line, Tokens);
        }

        var bytes = Encoding.UTF8.GetBytes(line);
        return random.Chance(0.15) ? random.Mutate(bytes) : bytes;
    }

    private static string Line(FuzzRandom random)
    {
        // Half the lines are MAIL or RCPT: the commands with a grammar worth exploring.
        var verb = random.Chance(0.5) ? random.Pick(["MAIL", "RCPT", "mail", "Rcpt"]) : random.Pick(Verbs);
        var separator = random.Chance(0.9) ? " " : random.Pick(["", "  ", "\t", ":"]);
        return (verb.ToUpperInvariant() switch
        {
            "MAIL" => verb + separator + random.Pick(["FROM:", "from:", "FROM: ", "FROM :", "FROM"]) + Path(random) + Params(random),
            "RCPT" => verb + separator + random.Pick(["TO:", "to:", "TO: ", "TO"]) + Path(random) + (random.Chance(0.2) ? Params(random) : string.Empty),
            "EHLO" or "HELO" => verb + separator + random.Pick([.. Domains, .. OddDomains, "two words", "a\u0001b", "\u4F8B\u5B50.\u5E7F\u544A"]),
            "AUTH" => verb + separator + random.Pick(["PLAIN", "LOGIN", "CRAM-MD5", "plain AGFAAGI=", "PLAIN =", "LOGIN *", "PLAIN a b"]),
            _ => verb + (random.Chance(0.3) ? separator + random.Text(20) : string.Empty),
        }) + (random.Chance(0.1) ? new string(' ', random.Next(1, 4)) : string.Empty);
    }

    private static string Path(FuzzRandom random)
    {
        if (random.Chance(0.1))
        {
            return random.Pick(["<>", "", "<", ">", "<<a@b>>", "a@example.com", "<@a,@b:c@example.com>", "<@a>"]);
        }

        var route = random.Chance(0.1) ? "@relay.example,@other.example:" : string.Empty;
        var localPart = random.Chance(0.8) ? random.Pick(LocalParts) : random.Pick(OddLocalParts);
        var domain = random.Chance(0.8) ? random.Pick(Domains) : random.Pick(OddDomains);
        var mailbox = localPart + (random.Chance(0.95) ? "@" : string.Empty) + domain;
        return "<" + route + (random.Chance(0.1) ? " " + mailbox + " " : mailbox) + ">";
    }

    private static string Params(FuzzRandom random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => (random.Chance(0.9) ? " " : "  ") + random.Pick(random.Chance(0.7) ? Parameters : OddParameters)));

    private static void AssertParsesSafely(byte[] line)
    {
        var result = SmtpCommandParser.Parse(line);

        Assert.True(result.Command is null != result.Error is null, "a result must be a command or an error, not both or neither");
        if (result.Error is { } error)
        {
            Assert.InRange(error.Code, 500, 599);
            Assert.StartsWith("5.", error.EnhancedCode, StringComparison.Ordinal);
            Assert.All(error.Lines, AssertRfc5321Text);
            return;
        }

        // A command comes only from a line that is UTF-8 without NUL, whose first word names it.
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(line);
        Assert.DoesNotContain('\0', text);
        Assert.Equal(result.Command!.Verb.ToString().ToUpperInvariant(), text.Split(' ')[0].ToUpperInvariant());
        switch (result.Command)
        {
            case MailCommand mail:
                Assert.True(mail.DeclaredSize is null or >= 0);
                if (!mail.Sender.IsNull)
                {
                    AssertCanonical(mail.Sender);
                }

                break;
            case RcptCommand rcpt:
                Assert.False(rcpt.Recipient.IsNull);
                AssertCanonical(rcpt.Recipient);
                break;
            case EhloCommand ehlo:
                Assert.NotEqual(string.Empty, ehlo.ClientDomain);
                Assert.DoesNotContain(' ', ehlo.ClientDomain);
                break;
            case AuthCommand auth:
                Assert.Equal(auth.Mechanism.ToUpperInvariant(), auth.Mechanism);
                break;
        }
    }

    // The mailbox as written normalizes to the address kept with it, which normalizes to itself.
    private static void AssertCanonical(MailboxPath path)
    {
        var address = path.Address!.Value;
        Assert.Equal(path.Mailbox.Trim(), path.Mailbox);
        Assert.Equal(address, AddressNormalizer.Normalize(path.Mailbox));
        Assert.Equal(address, AddressNormalizer.Normalize(address.Value));
    }

    // RFC 5321 4.2: textstring = 1*(%d09 / %d32-126).
    private static void AssertRfc5321Text(string text) =>
        Assert.True(text.All(c => c == '\t' || c is >= ' ' and <= '~'), $"reply text {Fuzz.Literal(text)} is not RFC 5321 text");
}
