using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using Suppression.Addresses;
using Suppression.Smtp.Policy;
using Suppression.Smtp.Relay;
using Suppression.Smtp.Tests.Policy;
using Suppression.Suppressions;

namespace Suppression.Smtp.Tests.Server;

/// <summary>What happens to recipients and messages: relay check, suppression policy, relay outcomes, bytes.</summary>
public sealed partial class SmtpSessionDeliveryTests
{
    private const string Message = SessionHarness.SampleMessage;

    private readonly SessionHarness _harness = new();

    [Fact]
    public async Task Accepted_message_is_relayed_with_the_envelope_as_the_client_wrote_it()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<Sender@Client.Example>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<A@Example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        var reply = await smtp.SendMessageAsync(Message);

        SmtpTranscriptExtensions.AssertReply(reply, "250 2.0.0");
        Assert.Equal(["A@Example.com", "b@example.com"], _harness.RelayedRecipients());
        Assert.All(_harness.Relayed, copy => Assert.Equal("Sender@Client.Example", copy.Envelope.Sender));
        Assert.Contains(_harness.Relayed[0].Envelope.TransactionId, reply.Last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_sender_is_relayed_as_the_null_sender()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<a@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        Assert.Equal(string.Empty, Assert.Single(_harness.Relayed).Envelope.Sender);
    }

    [Fact]
    public async Task Client_outside_the_relay_networks_is_refused_at_rcpt_without_asking_the_policy()
    {
        await using var smtp = await _harness.Connect("203.0.113.9").GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "554 5.7.1");

        await _harness.Policy.DidNotReceiveWithAnyArgs().CheckAsync(default!, default);
        await smtp.ExpectAsync("DATA", "554 5.5.1");
    }

    [Fact]
    public async Task Ipv4_client_seen_through_a_dual_stack_socket_may_relay()
    {
        await using var smtp = await _harness.Connect("::ffff:127.0.0.1").GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
    }

    [Fact]
    public async Task Policy_is_asked_with_the_normalized_recipient_client_and_sender()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<Sender@Client.Example>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<John.Doe@EXAMPLE.com>", "250 2.1.5");

        await _harness.Policy.Received(1).CheckAsync(
            new RecipientCheck(AddressNormalizer.Normalize("john.doe@example.com"), System.Net.IPAddress.Loopback, "Sender@Client.Example"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Deferred_recipient_is_451_and_gets_nothing()
    {
        _harness.Decide("b@example.com", RecipientVerdict.Defer);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "451 4.3.0");

        await smtp.ExpectAsync("DATA", "554 5.5.1");
        await _harness.Relay.DidNotReceiveWithAnyArgs().RelayAsync(default!, default!, default);
        Assert.Empty(_harness.Blocked);
    }

    [Fact]
    public async Task Deferred_recipient_may_be_given_again_in_the_same_transaction()
    {
        _harness.Decide("b@example.com", RecipientVerdict.Defer);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "451 4.3.0");
        _harness.Decide("b@example.com", RecipientVerdict.Deliver);

        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
    }

    [Fact]
    public async Task Repeated_recipient_is_asked_about_and_relayed_once()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        await smtp.ExpectAsync("RCPT TO:<B@Example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");
        await _harness.Policy.ReceivedWithAnyArgs(1).CheckAsync(default!, default);
        Assert.Equal(["b@example.com"], Assert.Single(_harness.Relayed).Envelope.Recipients);
    }

    [Fact]
    public async Task Dropped_recipient_is_accepted_left_out_of_the_relay_and_logged_with_the_message_id()
    {
        _harness.Decide("blocked@example.com", RecipientVerdict.Drop);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<sender@client.example>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<a@example.com>", "250 2.1.5");

        await smtp.ExpectAsync("RCPT TO:<Blocked@Example.com>", "250 2.1.5");

        Assert.Empty(_harness.Blocked);
        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");
        Assert.Equal(["a@example.com"], Assert.Single(_harness.Relayed).Envelope.Recipients);
        var blocked = Assert.Single(_harness.Blocked);
        Assert.Equal("blocked@example.com", blocked.Recipient.Value);
        Assert.Equal("m1@client.example", blocked.MessageId);
        Assert.Equal("sender@client.example", blocked.EnvelopeSender);
        Assert.Equal(System.Net.IPAddress.Loopback, blocked.ClientAddress);
        Assert.Equal(SuppressionReason.Unsubscribe, blocked.Reason);
        Assert.Equal(SuppressionScope.Global, blocked.Scope);
        await _harness.BlockedDeliveryLog.ReceivedWithAnyArgs(1).RecordAsync(default!, default);
    }

    [Fact]
    public async Task Message_whose_recipients_were_all_dropped_is_accepted_and_relayed_nowhere()
    {
        _harness.Decide("x@example.com", RecipientVerdict.Drop);
        _harness.Decide("y@example.com", RecipientVerdict.Drop);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<x@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<y@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        await _harness.Relay.DidNotReceiveWithAnyArgs().RelayAsync(default!, default!, default);
        Assert.Equal(["x@example.com", "y@example.com"], _harness.Blocked.Select(b => b.Recipient.Value));
        Assert.All(_harness.Blocked, b => Assert.Equal("m1@client.example", b.MessageId));
    }

    [Fact]
    public async Task Dropped_recipients_of_an_abandoned_transaction_are_still_logged()
    {
        _harness.Decide("x@example.com", RecipientVerdict.Drop);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<x@example.com>", "250 2.1.5");

        await smtp.ExpectAsync("RSET", "250 2.0.0");

        var blocked = Assert.Single(_harness.Blocked);
        Assert.Equal("x@example.com", blocked.Recipient.Value);
        Assert.Null(blocked.MessageId);
    }

    [Fact]
    public async Task Message_is_deferred_when_its_dropped_recipients_cannot_be_logged()
    {
        _harness.Decide("x@example.com", RecipientVerdict.Drop);
        _harness.BlockedDeliveryLogFailure = new IOException("store down");
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<a@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<x@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "451 4.3.0");

        Assert.Empty(_harness.Relayed);
    }

    [Fact]
    public async Task Refused_recipient_is_550_and_logged_at_once()
    {
        _harness.Decide("blocked@example.com", RecipientVerdict.Refuse);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<blocked@example.com>", "550 5.7.1");

        var blocked = Assert.Single(_harness.Blocked);
        Assert.Equal("blocked@example.com", blocked.Recipient.Value);
        await smtp.ExpectAsync("DATA", "554 5.5.1");
    }

    [Fact]
    public async Task Refused_recipient_that_cannot_be_logged_is_deferred_instead()
    {
        _harness.Decide("blocked@example.com", RecipientVerdict.Refuse);
        _harness.BlockedDeliveryLogFailure = new IOException("store down");
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<blocked@example.com>", "451 4.3.0");
    }

    [Fact]
    public async Task Reject_mode_answers_a_recipient_blocked_for_every_message_550()
    {
        var store = new InMemorySuppressionStore();
        await store.AddAsync(AddressNormalizer.Normalize("blocked@example.com"), SessionHarness.HardBounced, TestAudit.Any, CancellationToken.None);
        var policy = new SuppressionRecipientPolicy(store, BlockedRecipientAction.Reject, TimeProvider.System, NullLogger<SuppressionRecipientPolicy>.Instance);
        await using var smtp = await _harness.Connect(policy: policy).GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");

        await smtp.ExpectAsync("RCPT TO:<blocked@example.com>", "550 5.7.1");
        await smtp.ExpectAsync("RCPT TO:<fine@example.com>", "250 2.1.5");

        Assert.Equal("blocked@example.com", Assert.Single(_harness.Blocked).Recipient.Value);
    }

    [Fact]
    public async Task Upstream_unreachable_is_451_and_the_client_keeps_the_message()
    {
        _harness.RelayResult = RelayResult.Unreachable("connection refused");

        var reply = await RelayOneMessageAsync();

        SmtpTranscriptExtensions.AssertReply(reply, "451 4.4.1");
    }

    [Fact]
    public async Task Upstream_temporary_failure_is_451_with_the_upstream_text()
    {
        _harness.RelayResult = RelayResult.FromUpstreamReply(452, "4.3.1 Insufficient system storage\r\n");

        var reply = await RelayOneMessageAsync();

        Assert.Equal("451 4.4.0 Upstream mail server deferred the message: Insufficient system storage", reply.Last);
    }

    [Fact]
    public async Task Upstream_permanent_failure_passes_on_the_upstream_code_and_text()
    {
        _harness.RelayResult = RelayResult.FromUpstreamReply(554, "5.7.1 Message rejected as spam");

        var reply = await RelayOneMessageAsync();

        Assert.Equal("554 5.7.1 Upstream: Message rejected as spam", reply.Last);
    }

    [Fact]
    public async Task Upstream_permanent_failure_without_enhanced_code_gets_5_0_0()
    {
        _harness.RelayResult = RelayResult.FromUpstreamReply(550, "no such user");

        var reply = await RelayOneMessageAsync();

        Assert.Equal("550 5.0.0 Upstream: no such user", reply.Last);
    }

    [Fact]
    public async Task Upstream_enhanced_code_of_another_class_is_not_passed_on()
    {
        // RFC 2034 4: the enhanced code must agree with the reply code.
        _harness.RelayResult = RelayResult.FromUpstreamReply(550, "2.0.0 confused upstream");

        var reply = await RelayOneMessageAsync();

        Assert.StartsWith("550 5.0.0 ", reply.Last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relayed_message_is_one_received_header_followed_by_the_client_bytes()
    {
        // docs/design.md, what a copy is: forwarded bytes are the client's bytes plus our headers.
        const string original =
            "From: \"Sender\" <sender@client.example>\r\n" +
            "To: a@example.com\r\n" +
            "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
            " folded continuation\r\n" +
            "X-Odd:   spaced   value  \r\n" +
            "Message-ID: <exact@client.example>\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/plain; charset=utf-8\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n" +
            "\r\n" +
            ".leading dot\r\n" +
            "Grüße aus Köln\r\n" +
            "..two dots\r\n" +
            "\r\n" +
            "trailing spaces   \r\n" +
            "\tand a tab\r\n";
        var stuffed = original.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<sender@client.example> BODY=8BITMIME", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<a@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(stuffed), "250 2.0.0");

        var (received, rest) = SplitFirstHeader(Assert.Single(_harness.Relayed).Bytes);
        Assert.StartsWith("Received: from client.example ([127.0.0.1]) by gateway.test with ESMTP id ", Unfold(received), StringComparison.Ordinal);
        Assert.Equal(original, Encoding.UTF8.GetString(rest));
    }

    [Fact]
    public async Task Each_copy_has_one_received_header_naming_only_its_own_recipient()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<One@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("RCPT TO:<two@example.com>", "250 2.1.5");
        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        var first = Encoding.ASCII.GetString(_harness.Relayed[0].Bytes);
        var second = Encoding.ASCII.GetString(_harness.Relayed[1].Bytes);
        Assert.Contains(" for <One@example.com>;", Unfold(SplitFirstHeader(_harness.Relayed[0].Bytes).Header), StringComparison.Ordinal);
        Assert.Contains(" for <two@example.com>;", Unfold(SplitFirstHeader(_harness.Relayed[1].Bytes).Header), StringComparison.Ordinal);
        Assert.DoesNotContain("two@example.com", first, StringComparison.Ordinal);
        Assert.DoesNotContain("One@example.com", second, StringComparison.Ordinal);
        Assert.Single(first.Split("\r\n"), line => line.StartsWith("Received:", StringComparison.Ordinal));
        Assert.Single(second.Split("\r\n"), line => line.StartsWith("Received:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Received_header_says_utf8smtp_for_an_smtputf8_transaction()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com> SMTPUTF8", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        Assert.Contains(" with UTF8SMTP id ", Unfold(SplitFirstHeader(_harness.Relayed[0].Bytes).Header), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_ehlo_argument_does_not_reach_the_relayed_header()
    {
        await using var smtp = _harness.Connect();
        await smtp.ExpectReplyAsync("220");
        await smtp.ExpectAsync("EHLO evil(x);by=y", "250");
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");

        Assert.StartsWith("Received: from evil?x??by?y ([127.0.0.1])", SplitFirstHeader(_harness.Relayed[0].Bytes).Header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_line_feed_in_data_is_554_and_nothing_is_relayed()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        // SMTP smuggling: "\n.\n" must not end the message and let a second one ride along.
        var reply = await smtp.SendMessageAsync(Message + "\n.\nMAIL FROM:<x@example.com>\r\nRCPT TO:<y@example.com>\r\n");

        SmtpTranscriptExtensions.AssertReply(reply, "554 5.6.0");
        Assert.Empty(_harness.Relayed);
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "503 5.5.1");
    }

    [Fact]
    public async Task Several_messages_in_one_session_are_relayed_separately()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        for (var i = 0; i < 3; i++)
        {
            await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
            await smtp.ExpectAsync($"RCPT TO:<r{i}@example.com>", "250 2.1.5");
            SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message), "250 2.0.0");
        }

        Assert.Equal(["r0@example.com", "r1@example.com", "r2@example.com"], _harness.Relayed.Select(r => r.Envelope.Recipients.Single()));
        Assert.Equal(3, _harness.Relayed.Select(r => r.Envelope.TransactionId).Distinct().Count());
    }

    [Fact]
    public async Task Message_larger_than_the_memory_buffer_is_relayed_intact()
    {
        _harness.Options.MemoryBufferBytes = 1024;
        var body = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i:D4} {new string('z', 60)}\r\n"));
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");

        SmtpTranscriptExtensions.AssertReply(await smtp.SendMessageAsync(Message + body), "250 2.0.0");

        Assert.Equal(Message + body, Encoding.UTF8.GetString(SplitFirstHeader(_harness.Relayed[0].Bytes).Remainder));
    }

    [Fact]
    public async Task Unexpected_relay_exception_is_answered_451_and_the_session_goes_on()
    {
        _harness.RelayFailure = new InvalidOperationException("bug");
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
        await smtp.ExpectAsync("DATA", "354");
        await smtp.SendAsync(Message + ".\r\n");

        Assert.StartsWith("451 4.3.0", (await smtp.ReadReplyAsync()).Lines[^1], StringComparison.Ordinal);
        await smtp.ExpectAsync("NOOP", "250 2.0.0");
    }

    private async Task<SmtpResponse> RelayOneMessageAsync()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250 2.1.0");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250 2.1.5");
        return await smtp.SendMessageAsync(Message);
    }

    /// <summary>The first header field (with its folded lines and CRLF) and the bytes after it.</summary>
    private static (string Header, byte[] Remainder) SplitFirstHeader(byte[] message)
    {
        for (var i = 0; i + 2 < message.Length; i++)
        {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] is not (byte)' ' and not (byte)'\t')
            {
                return (Encoding.UTF8.GetString(message, 0, i + 2), message[(i + 2)..]);
            }
        }

        throw new InvalidOperationException("no header");
    }

    // RFC 5322 2.2.3: a fold is CRLF before whitespace; unfolded, that whitespace reads as one space.
    private static string Unfold(string header) => FoldingWhitespace().Replace(header, " ");

    [GeneratedRegex(@"\r\n[ \t]+")]
    private static partial Regex FoldingWhitespace();
}
