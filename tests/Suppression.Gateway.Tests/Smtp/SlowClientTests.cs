using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Smtp.Server;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// Slowloris against a real gateway: clients that trickle a command or a message a byte at a time,
/// or stop reading their replies, hold a session slot only until Suppression:Smtp:CommandTimeout
/// runs out, then get 421 (when they still read) and lose the connection. The gateway here allows
/// one session, so "the next client is served" shows the slot was given back.
/// </summary>
public sealed class SlowClientTests : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(2);

    // Each byte arrives well inside the command timeout: a timeout per read would never fire.
    private static readonly TimeSpan Trickle = TimeSpan.FromMilliseconds(700);

    // Generous: the machine running the suite may be busy with other builds.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    private readonly TestSmtpSink _sink = new();
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayInstance.StartAsync(redis: null, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:CommandTimeout"] = CommandTimeout.ToString(),
            ["Suppression:Smtp:MaxSessions"] = "1",
        });

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Command_trickled_a_byte_at_a_time_is_cut_off_with_421_at_the_command_timeout()
    {
        await using var slow = await RawSmtpClient.ConnectAsync(_gateway.SmtpPort);
        Assert.StartsWith("220", await slow.ReadReplyAsync());

        var (reply, elapsed) = await TrickleUntilReplyAsync(slow, "EHLO " + new string('x', 200));

        Assert.StartsWith("421 4.4.2", reply);
        Assert.InRange(elapsed, CommandTimeout / 2, CommandTimeout + Slack);
        Assert.Null(await slow.ReadReplyAsync());
        await AssertNextClientIsServedAsync();
    }

    [Fact]
    public async Task Message_trickled_a_byte_at_a_time_is_cut_off_with_421_and_nothing_is_relayed()
    {
        await using var slow = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "slow.test");
        Assert.StartsWith("250", await slow.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await slow.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await slow.CommandAsync("DATA"));

        var (reply, elapsed) = await TrickleUntilReplyAsync(slow, "Subject: slow\r\n\r\n" + string.Concat(Enumerable.Repeat("line\r\n", 50)));

        Assert.StartsWith("421 4.4.2", reply);
        Assert.InRange(elapsed, CommandTimeout / 2, CommandTimeout + Slack);
        Assert.Null(await slow.ReadReplyAsync());
        Assert.Empty(_sink.Messages);
        await AssertNextClientIsServedAsync();
    }

    [Fact]
    public async Task Message_sent_steadily_for_longer_than_the_command_timeout_is_accepted()
    {
        await using var client = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "steady.test");
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        // 2 KB every 200 ms (10 KB/s) for about three command timeouts: slow, but data keeps coming.
        var started = Stopwatch.StartNew();
        await client.SendAsync("Subject: steady\r\n\r\n");
        var chunk = string.Concat(Enumerable.Repeat(new string('s', 98) + "\r\n", 20));
        while (started.Elapsed < 3 * CommandTimeout)
        {
            await client.SendAsync(chunk);
            await Task.Delay(200);
        }

        await client.SendAsync(".\r\n");

        Assert.StartsWith("250 2.0.0", await client.ReadReplyAsync());
        Assert.Contains("Subject: steady", Assert.Single(_sink.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_that_stops_reading_its_replies_loses_its_slot_at_the_command_timeout()
    {
        await using var greedy = await RawSmtpClient.GreetedAsync(_gateway.SmtpPort, "greedy.test");
        using var stop = new CancellationTokenSource();

        // HELP answers about 150 bytes for 6: pipelined without reading, the replies fill the
        // socket buffers on both sides, and the gateway's writes wait for a window that never opens.
        var help = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("HELP\r\n", 10_000)));
        var flood = Task.Run(async () =>
        {
            try
            {
                for (var sent = 0; sent < 200 && !stop.IsCancellationRequested; sent++)
                {
                    await greedy.SendBytesAsync(help);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                // The gateway gave up on us: what the test waits for.
            }
        });

        try
        {
            await AssertNextClientIsServedAsync(within: TimeSpan.FromSeconds(30));
        }
        finally
        {
            await stop.CancelAsync();
        }

        var sessions = _gateway.Services.GetRequiredService<SmtpConnectionHandler>();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sessions.OpenSessions == 0), TimeSpan.FromSeconds(5)));

        // The connection itself is gone, not only the session: a write still waiting for window
        // space fails instead of waiting for ever.
        await flood.WaitAsync(TimeSpan.FromSeconds(10));
    }

    // Sends the text a byte at a time until the gateway answers (or hangs up); returns the answer and how long it took.
    private static async Task<(string? Reply, TimeSpan Elapsed)> TrickleUntilReplyAsync(RawSmtpClient client, string text)
    {
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var trickle = Task.Run(async () =>
        {
            try
            {
                foreach (var b in Encoding.ASCII.GetBytes(text))
                {
                    await client.SendBytesAsync([b]);
                    await Task.Delay(Trickle, stop.Token);
                }
            }
            catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });

        var reply = await client.ReadReplyAsync(CommandTimeout + Slack + Slack);
        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await trickle;
        return (reply, elapsed);
    }

    private async Task AssertNextClientIsServedAsync(TimeSpan? within = null)
    {
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await using var next = await RawSmtpClient.ConnectAsync(_gateway.SmtpPort);
            return (await next.ReadReplyAsync())?.StartsWith("220", StringComparison.Ordinal) == true
                && (await next.CommandAsync("QUIT"))?.StartsWith("221", StringComparison.Ordinal) == true;
        }, within ?? TimeSpan.FromSeconds(5)), "the session slot was not given back");
    }
}
