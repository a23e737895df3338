using System.Text;
using Suppression.Smtp.Protocol.Commands;

namespace Suppression.Smtp.Protocol;

/// <summary>Turns one command line (without its line ending) into a command, or into the reply that refuses it.</summary>
internal static class SmtpCommandParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Verbs from RFC 5321 and common extensions that this server knows but does not offer:
    // 502 ("not implemented") rather than 500 ("unrecognized") tells the client it was understood.
    private static readonly HashSet<string> KnownButNotImplemented = new(StringComparer.OrdinalIgnoreCase)
    {
        "EXPN", "TURN", "ETRN", "ATRN", "BDAT", "SEND", "SOML", "SAML", "XCLIENT", "XFORWARD",
    };

    public static SmtpParseResult Parse(ReadOnlySpan<byte> line)
    {
        if (line.IndexOf((byte)0) >= 0)
        {
            return new(SmtpReplies.NulInCommand);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            return new(SmtpReplies.CommandNotUtf8);
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? text : text[..space];
        var argument = space < 0 ? string.Empty : text[(space + 1)..];
        return verb.ToUpperInvariant() switch
        {
            "EHLO" => ParseGreeting(argument, domain => new EhloCommand(domain)),
            "HELO" => ParseGreeting(argument, domain => new HeloCommand(domain)),
            "MAIL" => MailCommand.Parse(argument),
            "RCPT" => RcptCommand.Parse(argument),
            "DATA" => NoArgument(argument, DataCommand.Instance),
            "RSET" => NoArgument(argument, RsetCommand.Instance),
            "QUIT" => NoArgument(argument, QuitCommand.Instance),
            "STARTTLS" => NoArgument(argument, StartTlsCommand.Instance),
            "AUTH" => AuthCommand.Parse(argument),
            "NOOP" => new(NoopCommand.Instance), // RFC 5321 4.1.1.9: NOOP may carry a string, ignored.
            "HELP" => new(HelpCommand.Instance),
            "VRFY" => argument.Trim().Length == 0
                ? new(SmtpReplies.VrfyNeedsArgument)
                : new(VrfyCommand.Instance),
            _ when KnownButNotImplemented.Contains(verb) => new(SmtpReplies.CommandNotImplemented),
            _ => new(SmtpReplies.CommandUnrecognized),
        };
    }

    // No domain or address literal holds a control character (RFC 5321 4.1.1.1, RFC 6531 3.3), and
    // the EHLO reply repeats the argument: a bare CR or an escape sequence went back to the
    // client in the reply text (found by fuzzing).
    private static SmtpParseResult ParseGreeting(string argument, Func<string, SmtpCommand> create)
    {
        var domain = argument.Trim();
        return domain.Length == 0 || domain.Contains(' ', StringComparison.Ordinal) || domain.Any(char.IsControl)
            ? new(SmtpReplies.GreetingNeedsDomain)
            : new(create(domain));
    }

    private static SmtpParseResult NoArgument(string argument, SmtpCommand command) =>
        argument.Trim().Length == 0
            ? new(command)
            : new(SmtpReplies.NoArgumentExpected);
}
