using System.Diagnostics;
using System.Text;

namespace Suppression.Smtp.Tests.Server;

/// <summary>
/// Slowloris, in memory: the command timeout bounds a whole command line and, with the minimum
/// data rate, a whole DATA block, however the bytes are spread out; and a client that stops reading
/// costs a bounded buffer of replies, then the connection.
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

        var elapsed = await TrickleUntilReplyAsync(smtp, "NOOP " + new string('x', 100), "421 4.4.2");

        Assert.InRange(elapsed, CommandTimeout / 2, CommandTimeout + TimeSpan.FromSeconds(5));
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

        var elapsed = await TrickleUntilReplyAsync(smtp, SessionHarness.SampleMessage + new string('x', 100), "421 4.4.2");

        Assert.InRange(elapsed, CommandTimeout / 2, CommandTimeout + TimeSpan.FromSeconds(5));
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

        await TrickleUntilReplyAsync(smtp, "Subject: slow\r\n\r\nhello there\r\n.\r\n", "250");

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
        await smtp.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(smtp.Aborted, "the connection of a client that stopped reading was not dropped");
        await send.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Sends the text a byte at a time until a reply comes; returns how long that took.
    private static async Task<TimeSpan> TrickleUntilReplyAsync(SmtpTranscript smtp, string text, string reply)
    {
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var trickle = Task.Run(async () =>
        {
            foreach (var b in Encoding.ASCII.GetBytes(text))
            {
                await smtp.SendAsync([b]);
                await Task.Delay(Trickle, stop.Token);
            }
        });

        await smtp.ExpectReplyAsync(reply);
        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trickle);
        return elapsed;
    }
}
