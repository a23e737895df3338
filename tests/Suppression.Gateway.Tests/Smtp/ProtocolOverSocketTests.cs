using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>Hostile and clumsy clients on a real socket: each gets the right reply and the server keeps serving.</summary>
public sealed class ProtocolOverSocketTests : IAsyncLifetime
{
    private readonly TestSmtpSink _sink = new();
    private GatewayInstance _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await GatewayInstance.StartAsync(redis: null, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:MaxErrors"] = "8",
            ["Suppression:Smtp:MaxJunkCommands"] = "5",
            ["Suppression:Smtp:MaxMessageBytes"] = "10000",
        });

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task Garbage_nul_bytes_long_lines_and_out_of_order_commands_get_their_codes_and_the_session_goes_on()
    {
        await using var client = await ConnectAsync();
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("500 5.5.2", await client.CommandAsync("XYZZY plugh"));
        await client.SendBytesAsync([(byte)'N', (byte)'O', 0, (byte)'P', (byte)'\r', (byte)'\n']);
        Assert.StartsWith("500 5.5.2", await client.ReadReplyAsync());
        Assert.StartsWith("500 5.5.2", await client.CommandAsync("NOOP " + new string('x', 600)));
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("503 5.5.1", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("501", await client.CommandAsync("MAIL FROM:no-brackets@sender.test"));
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("252 2.5.0", await client.CommandAsync("VRFY someone"));
        Assert.StartsWith("214", await client.CommandAsync("HELP"));
        Assert.StartsWith("250 2.0.0", await client.CommandAsync("RSET"));
        Assert.StartsWith("221 2.0.0", await client.CommandAsync("QUIT"));
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421_and_the_server_still_serves_others()
    {
        await using (var rude = await ConnectAsync())
        {
            for (var i = 0; i < 8; i++)
            {
                Assert.StartsWith("500 5.5.2", await rude.CommandAsync("BOGUS"));
            }

            Assert.StartsWith("421 4.7.0", await rude.ReadReplyAsync());
            Assert.Null(await rude.ReadReplyAsync());
        }

        await using var polite = await ConnectAsync();
        Assert.StartsWith("250", await polite.CommandAsync("EHLO client.test"));
    }

    [Fact]
    public async Task A_client_that_only_sends_noop_rset_vrfy_or_help_is_closed_after_the_junk_command_limit_and_delivered_mail_resets_the_count()
    {
        await using (var busy = await ConnectAsync())
        {
            await busy.CommandAsync("EHLO client.test");
            for (var i = 0; i < 4; i++)
            {
                Assert.StartsWith("250", await busy.CommandAsync(i % 2 == 0 ? "NOOP" : "RSET"));
            }

            // A delivered message starts the count again, as in Postfix: a client that RSETs between messages is not junk.
            await SendOneMessageAsync(busy);
            for (var i = 0; i < 5; i++)
            {
                Assert.StartsWith("250", await busy.CommandAsync("NOOP"));
            }

            await SendOneMessageAsync(busy);
        }

        await using var idler = await ConnectAsync();
        await idler.CommandAsync("EHLO client.test");
        Assert.StartsWith("250", await idler.CommandAsync("NOOP"));
        Assert.StartsWith("252", await idler.CommandAsync("VRFY someone"));
        Assert.StartsWith("214", await idler.CommandAsync("HELP"));
        Assert.StartsWith("250", await idler.CommandAsync("RSET"));
        Assert.StartsWith("250", await idler.CommandAsync("NOOP"));
        Assert.StartsWith("421 4.7.0", await idler.CommandAsync("NOOP"));
        Assert.Null(await idler.ReadReplyAsync());
    }

    private static async Task SendOneMessageAsync(RawSmtpClient client)
    {
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync("Subject: hi\r\n\r\nhello\r\n.\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Oversized_message_and_over_long_text_line_are_refused_after_data_and_nothing_is_relayed()
    {
        await using var client = await ConnectAsync();
        await client.CommandAsync("EHLO client.test");
        Assert.StartsWith("552 5.3.4", await client.CommandAsync("MAIL FROM:<a@sender.test> SIZE=20000"));

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('a', 98) + "\r\n", 200)) + ".\r\n");
        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync());

        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@sender.test>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.com>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync("Subject: long\r\n\r\n" + new string('b', 1500) + "\r\n.\r\n");
        Assert.StartsWith("554 5.6.0", await client.ReadReplyAsync());

        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task Bare_line_feed_dot_does_not_end_the_data_and_the_message_is_refused()
    {
        await using var client = await ConnectAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@sender.test>");
        await client.CommandAsync("RCPT TO:<b@example.com>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        // The SMTP smuggling shape: "\n.\n" followed by a second transaction inside the first.
        await client.SendAsync("Subject: one\r\n\r\nbody\n.\nMAIL FROM:<evil@sender.test>\r\nRCPT TO:<victim@example.com>\r\n\r\n.\r\n");

        Assert.StartsWith("554 5.6.0", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task Bare_carriage_return_dot_is_refused_and_nothing_is_relayed()
    {
        await using var client = await ConnectAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@sender.test>");
        await client.CommandAsync("RCPT TO:<b@example.com>");
        Assert.StartsWith("354", await client.CommandAsync("DATA"));

        // Relayed as it is, "\r.\r" would end the message early at an upstream that reads a lone CR
        // as a line end, and the rest would be a second, unchecked transaction.
        await client.SendAsync("Subject: one\r\n\r\nbody\r.\rMAIL FROM:<evil@sender.test>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n\r\n.\r\n");

        Assert.StartsWith("554 5.6.0 Message has a bare CR", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(_sink.Messages);
    }

    [Fact]
    public async Task Pipelined_transaction_gets_every_reply_in_order()
    {
        await using var client = await ConnectAsync();
        await client.CommandAsync("EHLO client.test");
        await client.SendAsync("MAIL FROM:<a@sender.test>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");
        Assert.StartsWith("250 2.1.0", await client.ReadReplyAsync());
        Assert.StartsWith("250 2.1.5", await client.ReadReplyAsync());
        Assert.StartsWith("250 2.1.5", await client.ReadReplyAsync());
        Assert.StartsWith("354", await client.ReadReplyAsync());
        await client.SendAsync("Subject: pipelined\r\n\r\nhi\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0", await client.ReadReplyAsync());
        Assert.StartsWith("221", await client.ReadReplyAsync());
        Assert.Equal(["b@example.com", "c@example.com"], _sink.Messages.Select(copy => Assert.Single(copy.Recipients)).Order());
    }

    private async Task<RawSmtpClient> ConnectAsync()
    {
        var client = await RawSmtpClient.ConnectAsync(_gateway.SmtpPort);
        Assert.StartsWith("220 gateway.test", await client.ReadReplyAsync());
        return client;
    }
}
