using System.Text;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Server;
using Suppression.Testing.Fuzzing;

namespace Suppression.Smtp.Tests.Server;

// Random conversations with a whole session (parser, state table, commands, DATA) checked against
// a model: each line is answered as the parser and the state table say (its parse error, 502 for
// a verb not offered, 503 out of sequence), the session moves through the states the table
// gives, too many errors end it with 421, and every reply is well formed: one code on every line,
// 2xx to 5xx, text without control characters.
public sealed class SmtpSessionFuzzTests
{
    private const int MaxErrors = 8;

    private static readonly SmtpStateMachine Table = new(startTlsOffered: false, authOffered: false);

    private static readonly string[] Lines =
    [
        "EHLO client.example", "HELO client.example", "ehlo [192.0.2.1]", "EHLO \u4F8B\u5B50.\u5E7F\u544A", "EHLO a\u0001b", "EHLO a\u007Fb", "EHLO a\u0085b",
        "MAIL FROM:<a@example.com>", "MAIL FROM:<>", "MAIL FROM:<a@example.com> SIZE=1000", "MAIL FROM:<a@example.com> SIZE=999999999",
        "MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8", "MAIL FROM:<r\u00e9my@example.com>", "MAIL FROM:<a@example.com> K\u001BY",
        "RCPT TO:<b@example.com>", "RCPT TO:<c@example.com>", "RCPT TO:<\u7528\u6237@example.com>", "RCPT TO:<>", "RCPT TO:<b@example.com> NOTIFY=NEVER",
        "DATA", "DATA", "RSET", "NOOP", "NOOP \r", "VRFY someone", "VRFY", "HELP", "QUIT", "STARTTLS", "AUTH PLAIN", "EXPN list", "BDAT 10 LAST",
        "", " ", "XYZZY", "MAIL", "RCPT", "DATA now",
    ];

    private static readonly string[] Bodies =
    [
        "Subject: fuzz\r\n\r\nhello\r\n",
        "Subject: dots\r\n\r\n..leading dot\r\n",
        "Subject: bare LF\r\n\r\nhello\nworld\r\n",
        "Subject: long\r\n\r\n" + new string('x', 1200) + "\r\n",
        "no header at all\r\n",
        "",
    ];

    [Fact]
    public Task Random_conversations_follow_the_state_table_and_every_reply_is_well_formed() =>
        Fuzz.RunAsync(defaultSeed: 2920, defaultIterations: 250, Conversation, ConverseAsync, Fuzz.ShrinkSequence, Describe);

    public static TheoryData<string> FoundByFuzzing => new()
    {
        // The EHLO reply repeats the client's domain, which could hold control characters.
        "EHLO a\u0001b",
        "EHLO a\rb",
        "HELO a\u001B[2Jb",
    };

    [Theory]
    [MemberData(nameof(FoundByFuzzing))]
    public Task Conversations_found_by_fuzzing_follow_the_model(string line) =>
        ConverseAsync([new Step(Encoding.UTF8.GetBytes(line), Bodies[0]), new Step("EHLO client.example"u8.ToArray(), Bodies[0])]);

    private static Step[] Conversation(FuzzRandom random) =>
        [.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => new Step(Line(random), random.Pick(Bodies)))];

    private static byte[] Line(FuzzRandom random)
    {
        var line = random.Pick(Lines);
        if (random.Chance(0.2))
        {
            line = random.Mutate(line, Lines);
        }

        // A line feed would end the line early and make two commands of it.
        var bytes = Encoding.UTF8.GetBytes(line.Replace('\n', ' '));
        if (random.Chance(0.1))
        {
            bytes = [.. random.Mutate(bytes).Where(b => b != (byte)'\n')];
        }

        return random.Chance(0.02) ? [.. bytes, .. Enumerable.Repeat((byte)'x', SmtpSession.MaxCommandLineOctets)] : bytes;
    }

    private static async Task ConverseAsync(Step[] steps)
    {
        var harness = new SessionHarness();
        harness.Options.MaxErrors = MaxErrors;
        harness.Options.MaxJunkCommands = int.MaxValue; // the model does not count them; ProtocolOverSocketTests does
        await using var smtp = harness.Connect();
        AssertWellFormed(await smtp.ReadReplyAsync(), 220);

        var state = SmtpState.Connected;
        var errors = 0;
        foreach (var step in steps)
        {
            await smtp.SendAsync([.. step.Line, (byte)'\r', (byte)'\n']);
            var (expected, verb) = Expect(step.Line, state);
            var reply = await smtp.ReadReplyAsync();
            if (expected is not null)
            {
                Assert.Equal(expected, reply.Code);
            }

            AssertWellFormed(reply, reply.Code);
            if (verb == SmtpVerb.Data && reply.Code == 354)
            {
                Assert.Equal(SmtpState.RecipientGiven, state);
                await smtp.SendAsync(step.Body + ".\r\n");
                reply = await smtp.ReadReplyAsync();
                AssertWellFormed(reply, reply.Code);
                Assert.NotEqual(354, reply.Code);
            }

            state = Next(state, verb, reply.Code);
            if (reply.Code >= 500 && ++errors >= MaxErrors)
            {
                AssertWellFormed(await smtp.ReadReplyAsync(), 421);
                await smtp.AssertClosedAsync();
                return;
            }

            if (reply.Code == 221)
            {
                await smtp.AssertClosedAsync();
                return;
            }
        }
    }

    // The reply the model is sure of, null when the command itself decides; and the verb, if any.
    private static (int? Code, SmtpVerb? Verb) Expect(byte[] line, SmtpState state)
    {
        if (line.Length + 2 > SmtpSession.MaxCommandLineOctets)
        {
            return (500, null);
        }

        var parsed = SmtpCommandParser.Parse(line);
        if (parsed.Error is { } error)
        {
            return (error.Code, null);
        }

        var verb = parsed.Command!.Verb;
        if (!Table.Offers(verb))
        {
            return (502, verb);
        }

        if (!Table.TryGetNextState(state, verb, out _))
        {
            return (503, verb);
        }

        return (verb switch
        {
            SmtpVerb.Ehlo or SmtpVerb.Helo or SmtpVerb.Rset or SmtpVerb.Noop => 250,
            SmtpVerb.Vrfy => 252,
            SmtpVerb.Help => 214,
            SmtpVerb.Quit => 221,
            SmtpVerb.Data when state == SmtpState.MailGiven => 554,
            SmtpVerb.Data => 354,
            _ => null,
        }, verb);
    }

    private static SmtpState Next(SmtpState state, SmtpVerb? verb, int code) =>
        (verb, code) switch
        {
            (SmtpVerb.Ehlo or SmtpVerb.Helo, 250) => SmtpState.Ready,
            (SmtpVerb.Rset, 250) => state == SmtpState.Connected ? state : SmtpState.Ready,
            (SmtpVerb.Mail, 250) => SmtpState.MailGiven,
            (SmtpVerb.Rcpt, 250) => SmtpState.RecipientGiven,

            // After the message, accepted or not, the transaction is over.
            (SmtpVerb.Data, _) when state == SmtpState.RecipientGiven => SmtpState.Ready,
            _ => state,
        };

    private static void AssertWellFormed(SmtpResponse reply, int code)
    {
        Assert.InRange(reply.Code, 200, 599);
        Assert.Equal(code, reply.Code);
        for (var i = 0; i < reply.Lines.Count; i++)
        {
            var line = reply.Lines[i];
            Assert.True(line.Length >= 4 && line[3] == (i == reply.Lines.Count - 1 ? ' ' : '-'), $"malformed reply line {Fuzz.Literal(line)}");
            Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), line[..3]);
            Assert.False(line.Any(c => char.IsControl(c) && c != '\t'), $"control character in reply line {Fuzz.Literal(line)}");
        }
    }

    private static string Describe(Step[] steps) =>
        "[" + string.Join(", ", steps.Select(step => Fuzz.Literal(step.Line))) + "]";

    private sealed record Step(byte[] Line, string Body);
}
