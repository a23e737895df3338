using System.Text.RegularExpressions;
using NSubstitute;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Relay;

namespace Suppression.Smtp.Tests.Server;

/// <summary>The session's dialogue: greeting, extensions, command order, limits and errors.</summary>
public sealed partial class SmtpSessionTests
{
    private const string Message = SessionHarness.SampleMessage;

    private readonly SessionHarness _harness = new();

    [Fact]
    public async Task Greeting_is_220_without_an_enhanced_code()
    {
        await using var smtp = _harness.Connect();

        var greeting = await smtp.ReadReplyAsync();

        Assert.Equal(["220 gateway.test ESMTP Suppression Gateway ready"], greeting.Lines);
    }

    [Fact]
    public async Task Ehlo_lists_the_extensions_and_no_starttls_without_a_certificate()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");

        var ehlo = await smtp.CommandAsync("EHLO client.example");

        Assert.Equal(
            [
                "250-gateway.test greets client.example",
                "250-PIPELINING",
                "250-SIZE 100000",
                "250-8BITMIME",
                "250-ENHANCEDSTATUSCODES",
                "250-SMTPUTF8",
                "250 HELP",
            ],
            ehlo.Lines);
    }

    [Fact]
    public async Task Helo_is_answered_with_the_hostname_and_no_extensions()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");

        Assert.Equal(["250 gateway.test"], (await smtp.CommandAsync("HELO client.example")).Lines);
    }

    [Fact]
    public async Task Starttls_is_not_implemented_when_not_offered()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("STARTTLS", "502 5.5.1");
        await smtp.ExpectAsync("NOOP", "250 2.0.0");
    }

    [Fact]
    public async Task Every_reply_after_the_greeting_carries_an_enhanced_code_of_its_class()
    {
        // RFC 2034 3 and 4: every 2xx, 4xx and 5xx reply except the greeting and the EHLO/HELO
        // answer starts with a status code whose class agrees with the reply code.
        _harness.Decide("dropped@example.com", RecipientVerdict.Drop);
        _harness.Decide("refused@example.com", RecipientVerdict.Refuse);
        _harness.Decide("deferred@example.com", RecipientVerdict.Defer);
        _harness.Options.MaxRecipients = 4;
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");
        string[] commands =
        [
            "NOOP", "MAIL FROM:<a@example.com>", "RSET", "VRFY x", "HELP", "EHLO client.example", "HELP", "VRFY someone",
            "FOO", "EXPN staff", "AUTH LOGIN", "VRFY", "DATA now", "MAIL FROM:<a@example.com> FOO=1", "MAIL FROM:<nobody>",
            "RCPT TO:<b@example.com>", "DATA", "MAIL FROM:<a@example.com> SIZE=999999999", "MAIL FROM:<jörg@example.com>",
            "MAIL FROM:<a@example.com>", "MAIL FROM:<a@example.com>", "DATA", "RCPT TO:<>", "RCPT TO:<b@example.com> NOTIFY=NEVER",
            "RCPT TO:<jörg@example.com>", "RCPT TO:<deliver@example.com>", "RCPT TO:<dropped@example.com>",
            "RCPT TO:<refused@example.com>", "RCPT TO:<deferred@example.com>", "RCPT TO:<deliver@example.com>",
            "RCPT TO:<one@example.com>", "RCPT TO:<two@example.com>", "RCPT TO:<three@example.com>", "NOOP", "RSET", "HELO client.example",
            "MAIL FROM:<a@example.com> BODY=8BITMIME", "NOOP " + new string('x', 600),
        ];
        var replies = new List<(string Command, SmtpResponse Reply)>();
        foreach (var command in commands)
        {
            replies.Add((command, await smtp.CommandAsync(command)));
        }

        await smtp.ExpectAsync("EHLO client.example", "250");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250");
        await smtp.ExpectAsync("DATA", "354");
        await smtp.SendAsync(Message + ".\r\n");
        replies.Add(("(message)", await smtp.ReadReplyAsync()));
        replies.Add(("QUIT", await smtp.CommandAsync("QUIT")));

        var checkedReplies = 0;
        foreach (var (command, reply) in replies)
        {
            if (command.StartsWith("EHLO", StringComparison.Ordinal) || command.StartsWith("HELO", StringComparison.Ordinal) || reply.Code is >= 300 and < 400)
            {
                continue;
            }

            checkedReplies++;
            Assert.All(reply.Lines, line => Assert.True(EnhancedCodeOfSameClass().IsMatch(line), $"{command} -> {line}"));
        }

        Assert.True(checkedReplies > 30);
        Assert.Contains(replies, r => r.Reply.Code == 451);
        Assert.Contains(replies, r => r.Reply.Code == 452);
        Assert.Contains(replies, r => r.Reply.Code == 553);
    }

    [Fact]
    public async Task Mail_before_ehlo_is_a_bad_sequence_and_the_session_continues()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");

        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "503 5.5.1");
        await smtp.ExpectAsync("EHLO client.example", "250");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
    }

    [Fact]
    public async Task Rcpt_before_mail_is_a_bad_sequence()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "503 5.5.1");
        await _harness.Policy.DidNotReceiveWithAnyArgs().CheckAsync(default!, default);
    }

    [Fact]
    public async Task Data_before_mail_is_a_bad_sequence()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("DATA", "503 5.5.1");
    }

    [Fact]
    public async Task Second_mail_inside_a_transaction_is_a_bad_sequence()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("MAIL FROM:<b@example.com>", "503 5.5.1");
    }

    [Fact]
    public async Task Data_without_an_accepted_recipient_is_554()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("DATA", "554 5.5.1");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
    }

    [Theory]
    [InlineData("RSET")]
    [InlineData("EHLO client.example")]
    [InlineData("HELO client.example")]
    public async Task Rset_or_a_new_greeting_ends_the_transaction(string command)
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        await smtp.ExpectAsync(command, "250");

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "503 5.5.1");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
    }

    [Fact]
    public async Task Declared_size_over_the_limit_is_552()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("MAIL FROM:<a@example.com> SIZE=100001", "552 5.3.4");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com> SIZE=100000", "250 2.1.0");
    }

    [Fact]
    public async Task Message_over_the_size_limit_is_552_and_not_relayed()
    {
        _harness.Options.MaxMessageBytes = 1000;
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        var reply = await smtp.SendMessageAsync(Message + string.Concat(Enumerable.Repeat(new string('x', 98) + "\r\n", 20)));

        SmtpTranscriptExtensions.AssertReply(reply, "552 5.3.4");
        Assert.Empty(_harness.Relayed);
        await smtp.ExpectAsync("NOOP", "250 2.0.0");
    }

    [Fact]
    public async Task Recipients_beyond_the_limit_are_452_and_the_earlier_ones_stand()
    {
        _harness.Options.MaxRecipients = 2;
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<one@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<two@example.com>", "250 2.1.5");

        await smtp.ExpectAsync("RCPT TO:<three@example.com>", "452 4.5.3");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");
        Assert.Equal(["one@example.com", "two@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Command_line_of_513_octets_is_500_and_the_next_command_works()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        // RFC 5321 4.5.3.1.4: 512 octets including CRLF.
        await smtp.ExpectAsync("NOOP " + new string('x', 505), "250 2.0.0");
        await smtp.ExpectAsync("NOOP " + new string('x', 506), "500 5.5.2");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
    }

    [Fact]
    public async Task Endless_command_line_is_discarded_as_it_arrives_and_answered_once()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        for (var i = 0; i < 50; i++)
        {
            await smtp.SendAsync(new string('x', 1000));
        }

        await smtp.ExpectAsync(string.Empty, "500 5.5.2");
        await smtp.ExpectAsync("NOOP", "250 2.0.0");
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        _harness.Options.MaxErrors = 3;
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("FOO", "500 5.5.2");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "503 5.5.1");
        await smtp.ExpectAsync("NOOP", "250 2.0.0");
        await smtp.ExpectAsync("BAR", "500 5.5.2");

        await smtp.ExpectReplyAsync("421 4.7.0");
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Client_silent_past_the_command_timeout_is_told_421_and_disconnected()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        // Shortened only now, so a slow machine cannot time out the greeting; the wait for the
        // command after NOOP is the first to use it.
        _harness.Options.CommandTimeout = TimeSpan.FromMilliseconds(200);
        await smtp.ExpectAsync("NOOP", "250 2.0.0");

        Assert.True(await smtp.WaitingAsync());
        _harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        await smtp.ExpectReplyAsync("421 4.4.2");
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Client_silent_in_the_middle_of_a_message_is_told_421_and_nothing_is_relayed()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
        _harness.Options.CommandTimeout = TimeSpan.FromMilliseconds(200);
        await smtp.ExpectAsync("DATA", "354");

        Assert.True(await smtp.SendWhenWaitingAsync("Subject: half a message\r\n"u8.ToArray()));

        _harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        await smtp.ExpectReplyAsync("421 4.4.2");
        await smtp.AssertClosedAsync();
        Assert.Empty(_harness.Relayed);
    }

    [Fact]
    public async Task Idle_session_is_told_421_when_the_server_stops()
    {
        using var stopping = new CancellationTokenSource();
        await using var smtp = await _harness.Connect(serverStopping: stopping.Token).GreetedAsync();
        await smtp.ExpectAsync("NOOP", "250 2.0.0");

        await stopping.CancelAsync();

        await smtp.ExpectReplyAsync("421 4.3.2");
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Message_in_progress_when_the_server_stops_is_still_delivered()
    {
        using var stopping = new CancellationTokenSource();
        await using var smtp = await _harness.Connect(serverStopping: stopping.Token).GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("DATA", "354");
        await smtp.SendAsync("Subject: draining\r\n");

        await stopping.CancelAsync();
        await smtp.SendAsync("\r\nbody\r\n.\r\n");

        await smtp.ExpectReplyAsync("250 2.0.0");
        await smtp.ExpectReplyAsync("421 4.3.2");
        await smtp.AssertClosedAsync();
        Assert.Single(_harness.Relayed);
    }

    [Fact]
    public async Task Message_with_a_line_over_1000_octets_is_554_and_not_relayed()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        var reply = await smtp.SendMessageAsync(Message + new string('x', 999) + "\r\n");

        SmtpTranscriptExtensions.AssertReply(reply, "554 5.6.0");
        Assert.Empty(_harness.Relayed);
    }

    [Fact]
    public async Task Quit_is_221_and_ends_the_session()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        await smtp.ExpectAsync("QUIT", "221 2.0.0");
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Quit_before_ehlo_is_221()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");

        await smtp.ExpectAsync("QUIT", "221 2.0.0");
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Pipelined_commands_written_in_one_chunk_are_answered_in_order()
    {
        _harness.Decide("c@example.com", RecipientVerdict.Defer);
        await using var smtp = await _harness.Connect().GreetedAsync();

        // RFC 2920 3.1: DATA ends the group; the client waits for 354 before sending the message.
        await smtp.SendAsync("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nRCPT TO:<d@example.com>\r\nDATA\r\n");

        await smtp.ExpectReplyAsync("250 2.1.0");
        await smtp.ExpectReplyAsync("250 2.1.5");
        await smtp.ExpectReplyAsync("451 4.3.0");
        await smtp.ExpectReplyAsync("250 2.1.5");
        await smtp.ExpectReplyAsync("354");
        await smtp.SendAsync(Message + ".\r\nQUIT\r\n");
        await smtp.ExpectReplyAsync("250 2.0.0");
        await smtp.ExpectReplyAsync("221 2.0.0");
        Assert.Equal(["b@example.com", "d@example.com"], _harness.RelayedRecipients());
    }

    [Fact]
    public async Task Commands_are_read_with_bare_line_feeds_too()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");

        await smtp.SendAsync("EHLO client.example\nNOOP\n");

        await smtp.ExpectReplyAsync("250");
        await smtp.ExpectReplyAsync("250 2.0.0");
    }

    [Fact]
    public async Task Non_ascii_sender_without_smtputf8_is_553()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();

        // RFC 6531 3.5 and 3.7.4.1.
        await smtp.ExpectAsync("MAIL FROM:<jörg@bücher.example>", "553 5.6.7");
    }

    [Fact]
    public async Task Non_ascii_recipient_without_smtputf8_is_553()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<jörg@bücher.example>", "553 5.6.7");
        await _harness.Policy.DidNotReceiveWithAnyArgs().CheckAsync(default!, default);
    }

    [Fact]
    public async Task Non_ascii_addresses_with_smtputf8_are_accepted_and_relayed_as_written()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<jörg@bücher.example> SMTPUTF8", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<müller@bücher.example>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        var relayed = Assert.Single(_harness.Relayed);
        Assert.Equal("jörg@bücher.example", relayed.Envelope.Sender);
        Assert.Equal(["müller@bücher.example"], relayed.Envelope.Recipients);
        await _harness.Policy.Received(1).CheckAsync(
            Arg.Is<RecipientCheck>(check => check.Recipient.Value == "müller@xn--bcher-kva.example"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_fault_inside_the_gateway_is_answered_421_before_the_connection_closes()
    {
        // Not disposed: the transcript's disposal awaits the session, which ends with the fault.
        var smtp = await _harness.Connect(policy: new FaultyPolicy()).GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "421 4.3.0");

        // The fault still reaches the connection handler, which logs it and closes the connection.
        var fault = await Assert.ThrowsAsync<InvalidOperationException>(() => smtp.Completion);
        Assert.Equal("a bug", fault.Message);
        Assert.Empty(_harness.Relayed);
    }

    // U+FFFE arrives as valid UTF-8 (EF BF BE); normalizing it threw, and the session ended
    // without a reply (found by fuzzing the import parser).
    [Fact]
    public async Task Recipient_with_the_noncharacter_U_FFFE_is_501_and_the_session_continues()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com> SMTPUTF8", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<a\uFFFE@example.com>", "501 5.1.3");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
    }

    [Theory]
    [InlineData("MAIL FROM:<a@example.com> SMTPUTF8")]
    [InlineData("MAIL FROM:<a@example.com> BODY=8BITMIME")]
    public async Task Extension_parameters_after_helo_are_555(string command)
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");
        await smtp.ExpectAsync("HELO client.example", "250");

        await smtp.ExpectAsync(command, "555 5.5.4");
    }

    [Fact]
    public async Task Client_hanging_up_mid_message_relays_nothing()
    {
        var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("DATA", "354");
        await smtp.SendAsync(Message);

        await smtp.DisposeAsync();

        Assert.True(smtp.Completion.IsCompletedSuccessfully);
        await _harness.Relay.DidNotReceiveWithAnyArgs().RelayAsync(default!, default!, default);
    }

    [GeneratedRegex(@"^([245])\d\d[ -]\1\.\d{1,3}\.\d{1,3} ")]
    private static partial Regex EnhancedCodeOfSameClass();

    private sealed class FaultyPolicy : IRecipientPolicy
    {
        public ValueTask<RecipientDecision> CheckAsync(RecipientCheck check, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a bug");
    }
}
