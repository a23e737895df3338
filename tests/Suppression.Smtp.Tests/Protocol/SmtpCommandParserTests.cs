using System.Text;
using Suppression.Smtp.Protocol;
using Suppression.Smtp.Protocol.Commands;

namespace Suppression.Smtp.Tests.Protocol;

public sealed class SmtpCommandParserTests
{
    [Theory]
    [InlineData("EHLO client.example", SmtpVerb.Ehlo)]
    [InlineData("HELO client.example", SmtpVerb.Helo)]
    [InlineData("MAIL FROM:<a@example.com>", SmtpVerb.Mail)]
    [InlineData("RCPT TO:<b@example.com>", SmtpVerb.Rcpt)]
    [InlineData("DATA", SmtpVerb.Data)]
    [InlineData("RSET", SmtpVerb.Rset)]
    [InlineData("NOOP", SmtpVerb.Noop)]
    [InlineData("QUIT", SmtpVerb.Quit)]
    [InlineData("VRFY someone", SmtpVerb.Vrfy)]
    [InlineData("HELP", SmtpVerb.Help)]
    [InlineData("STARTTLS", SmtpVerb.StartTls)]
    public void Every_verb_is_parsed(string line, SmtpVerb verb) =>
        Assert.Equal(verb, Command(line).Verb);

    [Theory]
    [InlineData("ehlo client.example", SmtpVerb.Ehlo)]
    [InlineData("Helo client.example", SmtpVerb.Helo)]
    [InlineData("mail from:<a@example.com>", SmtpVerb.Mail)]
    [InlineData("rCpT tO:<b@example.com>", SmtpVerb.Rcpt)]
    [InlineData("data", SmtpVerb.Data)]
    [InlineData("rset", SmtpVerb.Rset)]
    [InlineData("noop", SmtpVerb.Noop)]
    [InlineData("quit", SmtpVerb.Quit)]
    [InlineData("vrfy someone", SmtpVerb.Vrfy)]
    [InlineData("help", SmtpVerb.Help)]
    [InlineData("StartTLS", SmtpVerb.StartTls)]
    public void Verbs_and_keywords_are_case_insensitive(string line, SmtpVerb verb) =>
        Assert.Equal(verb, Command(line).Verb);

    [Fact]
    public void Ehlo_keeps_the_client_domain() =>
        Assert.Equal("[192.0.2.1]", Assert.IsType<EhloCommand>(Command("EHLO  [192.0.2.1] ")).ClientDomain);

    [Theory]
    [InlineData("NOOP anything at all")]
    [InlineData("HELP MAIL")]
    public void Noop_and_help_ignore_their_argument(string line) => Command(line);

    [Fact]
    public void Mail_from_null_path_is_the_null_sender()
    {
        var mail = Mail("MAIL FROM:<>");

        Assert.True(mail.Sender.IsNull);
        Assert.Equal(string.Empty, mail.Sender.Mailbox);
    }

    [Fact]
    public void Mail_from_keeps_the_client_spelling_and_normalizes_for_lookups()
    {
        var mail = Mail("MAIL FROM:<John.Doe@Example.COM>");

        Assert.Equal("John.Doe@Example.COM", mail.Sender.Mailbox);
        Assert.Equal("john.doe@example.com", mail.Sender.Address!.Value.Value);
    }

    [Fact]
    public void Mail_from_with_a_space_after_the_colon_is_accepted() =>
        Assert.Equal("a@example.com", Mail("MAIL FROM: <a@example.com>").Sender.Mailbox);

    [Fact]
    public void Source_route_is_accepted_and_ignored()
    {
        // RFC 5321 4.1.2 and appendix C.
        Assert.Equal("u@x.example", Mail("MAIL FROM:<@a.example,@b.example:u@x.example>").Sender.Mailbox);
        Assert.Equal("u@x.example", Rcpt("RCPT TO:<@a.example:u@x.example>").Recipient.Mailbox);
    }

    [Fact]
    public void Quoted_local_part_may_contain_a_closing_bracket()
    {
        var mail = Mail("MAIL FROM:<\"a>b\"@example.com> SIZE=10");

        Assert.Equal("\"a>b\"@example.com", mail.Sender.Mailbox);
        Assert.Equal(10, mail.DeclaredSize);
    }

    [Fact]
    public void Quoted_local_part_may_contain_a_space() =>
        Assert.Equal("\"john smith\"@example.com", Rcpt("RCPT TO:<\"john smith\"@example.com>").Recipient.Mailbox);

    [Fact]
    public void Mail_parameters_are_read()
    {
        var mail = Mail("MAIL FROM:<a@example.com> SIZE=12345 BODY=8BITMIME SMTPUTF8");

        Assert.Equal(12345, mail.DeclaredSize);
        Assert.True(mail.EightBitMime);
        Assert.True(mail.SmtpUtf8);
    }

    [Fact]
    public void Mail_without_parameters_declares_nothing()
    {
        var mail = Mail("MAIL FROM:<a@example.com>");

        Assert.Null(mail.DeclaredSize);
        Assert.False(mail.EightBitMime);
        Assert.False(mail.SmtpUtf8);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.com> BODY=7BIT")]
    [InlineData("MAIL FROM:<a@example.com> body=7bit")]
    public void Body_7bit_is_accepted_and_is_not_8bit(string line) =>
        Assert.False(Mail(line).EightBitMime);

    [Fact]
    public void Parameter_keywords_are_case_insensitive()
    {
        var mail = Mail("MAIL FROM:<a@example.com> size=1 body=8bitmime smtputf8");

        Assert.Equal(1, mail.DeclaredSize);
        Assert.True(mail.EightBitMime);
        Assert.True(mail.SmtpUtf8);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.com> FOO=BAR")]
    [InlineData("MAIL FROM:<a@example.com> BODY=BINARYMIME")]
    [InlineData("MAIL FROM:<a@example.com> BODY")]
    [InlineData("MAIL FROM:<a@example.com> SIZE")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=-1")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=12k")]
    [InlineData("MAIL FROM:<a@example.com> SIZE=99999999999999999999999")]
    [InlineData("MAIL FROM:<a@example.com> SMTPUTF8=yes")]
    public void Unknown_or_malformed_mail_parameter_is_555(string line) =>
        AssertRefused(line, 555, "5.5.4");

    [Theory]
    [InlineData("RCPT TO:<b@example.com> NOTIFY=NEVER")]
    [InlineData("RCPT TO:<b@example.com> ORCPT=rfc822;b@example.com")]
    [InlineData("RCPT TO:<b@example.com> SMTPUTF8")]
    public void Rcpt_with_a_parameter_is_555(string line) =>
        AssertRefused(line, 555, "5.5.4");

    [Theory]
    [InlineData("MAIL <a@example.com>")]
    [InlineData("MAIL FROM<a@example.com>")]
    [InlineData("MAIL TO:<a@example.com>")]
    [InlineData("MAIL")]
    [InlineData("MAIL FROM:a@example.com")]
    [InlineData("MAIL FROM:<a@example.com")]
    [InlineData("MAIL FROM:<a@example.com>SIZE=1")]
    [InlineData("RCPT <b@example.com>")]
    [InlineData("RCPT TO<b@example.com>")]
    [InlineData("RCPT FROM:<b@example.com>")]
    [InlineData("RCPT TO:b@example.com")]
    [InlineData("RCPT")]
    public void Missing_colon_or_brackets_is_501(string line) =>
        AssertRefused(line, 501, "5.5.4");

    [Theory]
    [InlineData("MAIL FROM:<not an address>")]
    [InlineData("MAIL FROM:<nobody>")]
    [InlineData("MAIL FROM:<@a.example>")]
    public void Invalid_sender_address_is_501_bad_sender(string line) =>
        AssertRefused(line, 501, "5.1.7");

    [Theory]
    [InlineData("RCPT TO:<>")]
    [InlineData("RCPT TO:<a@@example.com>")]
    [InlineData("RCPT TO:< b@example.com>")]
    public void Invalid_recipient_address_is_501_bad_recipient(string line) =>
        AssertRefused(line, 501, "5.1.3");

    [Fact]
    public void Nul_byte_is_500() =>
        AssertRefused("NOOP a\0b"u8.ToArray(), 500, "5.5.2");

    [Fact]
    public void Invalid_utf8_is_500() =>
        AssertRefused([.. "MAIL FROM:<"u8, 0xC3, 0x28, .. "@example.com>"u8], 500, "5.5.2");

    [Fact]
    public void Utf8_address_is_parsed() =>
        Assert.Equal("jörg@bücher.example", Mail("MAIL FROM:<jörg@bücher.example> SMTPUTF8").Sender.Mailbox);

    [Theory]
    [InlineData("HELLO there")]
    [InlineData("FOO")]
    [InlineData("")]
    [InlineData(" EHLO client.example")]
    [InlineData("MAILFROM:<a@example.com>")]
    public void Unknown_verb_is_500(string line) =>
        AssertRefused(line, 500, "5.5.2");

    [Theory]
    [InlineData("EXPN staff")]
    [InlineData("BDAT 100 LAST")]
    [InlineData("TURN")]
    [InlineData("ETRN example.com")]
    public void Known_but_not_implemented_verb_is_502(string line) =>
        AssertRefused(line, 502, "5.5.1");

    [Theory]
    [InlineData("VRFY")]
    [InlineData("VRFY   ")]
    public void Vrfy_without_argument_is_501(string line) =>
        AssertRefused(line, 501, "5.5.4");

    [Theory]
    [InlineData("DATA now")]
    [InlineData("RSET all")]
    [InlineData("QUIT please")]
    [InlineData("STARTTLS now")]
    public void Command_that_takes_no_argument_refuses_one_with_501(string line) =>
        AssertRefused(line, 501, "5.5.4");

    [Theory]
    [InlineData("DATA ")]
    [InlineData("QUIT ")]
    public void Trailing_space_is_not_an_argument(string line) => Command(line);

    [Theory]
    [InlineData("EHLO")]
    [InlineData("EHLO ")]
    [InlineData("HELO")]
    [InlineData("EHLO two words")]
    public void Greeting_without_a_single_domain_is_501(string line) =>
        AssertRefused(line, 501, "5.5.4");

    private static SmtpCommand Command(string line)
    {
        var result = SmtpCommandParser.Parse(Encoding.UTF8.GetBytes(line));
        Assert.Null(result.Error);
        return Assert.IsAssignableFrom<SmtpCommand>(result.Command);
    }

    private static MailCommand Mail(string line) => Assert.IsType<MailCommand>(Command(line));

    private static RcptCommand Rcpt(string line) => Assert.IsType<RcptCommand>(Command(line));

    private static void AssertRefused(string line, int code, string enhancedCode) =>
        AssertRefused(Encoding.UTF8.GetBytes(line), code, enhancedCode);

    private static void AssertRefused(byte[] line, int code, string enhancedCode)
    {
        var result = SmtpCommandParser.Parse(line);
        Assert.Null(result.Command);
        Assert.NotNull(result.Error);
        Assert.Equal((code, enhancedCode), (result.Error.Code, result.Error.EnhancedCode));
    }

    [Theory]
    [InlineData("AUTH PLAIN AGFAAGI=", "PLAIN")]
    [InlineData("auth login", "LOGIN")]
    public void Auth_is_parsed_with_its_mechanism(string line, string mechanism)
    {
        var result = SmtpCommandParser.Parse(System.Text.Encoding.ASCII.GetBytes(line));

        Assert.Equal(mechanism, Assert.IsType<Suppression.Smtp.Protocol.Commands.AuthCommand>(result.Command).Mechanism);
    }

    [Fact]
    public void Mail_accepts_the_auth_parameter_of_rfc_4954()
    {
        Assert.IsType<Suppression.Smtp.Protocol.Commands.MailCommand>(
            SmtpCommandParser.Parse("MAIL FROM:<a@example.com> AUTH=<>"u8).Command);
    }
}
