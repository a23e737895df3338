using System.Text;

namespace Suppression.Smtp.Tests.Server;

/// <summary>
/// Slowloris, in memory: the command timeout bounds a whole command line and, with the minimum
/// data rate, a whole DATA block, however the bytes are spread out; and a client that stops reading
/// costs a bounded buffer of replies, then the connection. The client's pauses are the harness's
/// clock moving, not time spent waiting.
/// </summary>
public sealed class SmtpSessionSlowClientTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMilliseconds(600);

    // Each byte well inside the timeout: a timeout per read would never fire.
    private static readonly TimeSpan Trickle = TimeSpan.FromMilliseconds(150);

    private readonly SessionHarness _harness = new();

    [Fact]
    public async Task Command_trickled_a_byte_at_a_time_is_told_421_at_the_command_timeout()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        _harness.Options.CommandTimeout = CommandTimeout;
        await smtp.ExpectAsync("NOOP", "250");

        var elapsed = await TrickleAsync(smtp, "NOOP " + new string('x', 100));

        await smtp.ExpectReplyAsync("421 4.4.2");
        Assert.InRange(elapsed, CommandTimeout, CommandTimeout + 2 * Trickle);
        await smtp.AssertClosedAsync();
    }

    [Fact]
    public async Task Message_trickled_a_byte_at_a_time_is_told_421_and_nothing_is_relayed()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250");
        _harness.Options.CommandTimeout = CommandTimeout;
        await smtp.ExpectAsync("DATA", "354");

        var elapsed = await TrickleAsync(smtp, SessionHarness.SampleMessage + new string('x', 100));

        await smtp.ExpectReplyAsync("421 4.4.2");
        Assert.InRange(elapsed, CommandTimeout, CommandTimeout + 2 * Trickle);
        await smtp.AssertClosedAsync();
        Assert.Empty(_harness.Relayed);
    }

    [Fact]
    public async Task A_lower_minimum_data_rate_lets_a_slow_but_steady_message_through()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        await smtp.ExpectAsync("MAIL FROM:<a@example.com>", "250");
        await smtp.ExpectAsync("RCPT TO:<b@example.com>", "250");
        // The message (33 bytes) takes ~5 s a byte every 150 ms, longer than the 3 s allowance: at 1 byte/s
        // each byte earns a second back, so it never runs out (at the default 500 bytes/s the
        // allowance would be gone after ~3 s).
        _harness.Options.CommandTimeout = TimeSpan.FromSeconds(3);
        _harness.Options.MinDataBytesPerSecond = 1;
        await smtp.ExpectAsync("DATA", "354");

        var elapsed = await TrickleAsync(smtp, "Subject: slow\r\n\r\nhello there\r\n.\r\n");

        await smtp.ExpectReplyAsync("250");
        Assert.True(elapsed > TimeSpan.FromSeconds(3), $"the message took {elapsed}, not longer than the allowance");
        Assert.Single(_harness.Relayed);
    }

    [Fact]
    public async Task Client_pipelining_without_reading_gets_a_bounded_buffer_of_replies_then_is_dropped()
    {
        await using var smtp = await _harness.Connect().GreetedAsync();
        _harness.Options.CommandTimeout = CommandTimeout;

        // 20,000 EHLO replies are several MB for 240 KB sent (EHLO, not HELP: more than
        // MaxJunkCommands HELPs would end the session before the buffer fills). The send itself
        // waits once the session stops reading, as a socket's would.
        var send = smtp.SendAsync(string.Concat(Enumerable.Repeat("EHLO c.test\r\n", 20_000)));

        Assert.InRange(await smtp.UnreadReplyBytesAsync(), 1, 256 * 1024);
        Assert.True(await smtp.WaitingAsync(), "the session ended before waiting to write its replies");
        _harness.Time.Advance(CommandTimeout);
        await smtp.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(smtp.Aborted, "the connection of a client that stopped reading was not dropped");
        await send.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Sends the text a byte at a time, the clock moving on by Trickle after each, until it is all
    // sent or the session has ended; returns how much time passed.
    private async Task<TimeSpan> TrickleAsync(SmtpTranscript smtp, string text)
    {
        var started = _harness.Time.GetTimestamp();
        foreach (var b in Encoding.ASCII.GetBytes(text))
        {
            if (!await smtp.SendWhenWaitingAsync([b]))
            {
                break;
            }

            _harness.Time.Advance(Trickle);
        }

        return _harness.Time.GetElapsedTime(started);
    }
}
