using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Smtp;

public sealed class AccessAndLimitsTests
{
    [Fact]
    public async Task Client_outside_the_relay_networks_is_refused_at_rcpt()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
        });
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO outsider.test");
        await client.CommandAsync("MAIL FROM:<spammer@outsider.test>");

        Assert.StartsWith("554 5.7.1", await client.CommandAsync("RCPT TO:<victim@example.com>"));
        Assert.StartsWith("554 5.5.1", await client.CommandAsync("DATA"));
        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task Connection_beyond_the_session_limit_is_told_421_at_connect()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null, new Dictionary<string, string>
        {
            ["Suppression:Smtp:MaxSessions"] = "2",
        });
        await using var first = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await using var second = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220", await first.ReadReplyAsync());
        Assert.StartsWith("220", await second.ReadReplyAsync());

        await using var third = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("421 4.7.0", await third.ReadReplyAsync());

        await first.CommandAsync("QUIT");
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await using var fourth = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
            return (await fourth.ReadReplyAsync())?.StartsWith("220", StringComparison.Ordinal) == true;
        }, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Reject_mode_answers_550_for_a_suppressed_recipient()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:BlockedRecipient"] = "Reject",
        });
        var optedOut = Mail.UniqueAddress("rejected");
        await gateway.Http.PostAsync("/api/v1/suppressions", System.Net.Http.Json.JsonContent.Create(new { address = optedOut }));
        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        await client.ReadReplyAsync();
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@sender.test>");

        Assert.StartsWith("550 5.7.1", await client.CommandAsync($"RCPT TO:<{optedOut}>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync("RCPT TO:<someone-else@example.com>"));
    }

    [Fact]
    public async Task Unreachable_upstream_gives_451_and_readiness_says_so()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, FreePort.Next(), new Dictionary<string, string>
        {
            ["Suppression:Upstream:RetryBudget"] = "00:00:05",
        });

        var error = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("a@sender.test", ["b@example.com"])));

        Assert.Equal(451, (int)error.StatusCode);
        var ready = await new HttpClient().GetAsync($"http://127.0.0.1:{gateway.HttpPort}/readyz");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("\"upstream\":\"unreachable\"", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_upstream_messages_land_in_the_pickup_directory()
    {
        await using var gateway = await GatewayInstance.StartAsync(null, null);

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("a@sender.test", ["b@example.com"], subject: "To the pickup directory"));

        var file = Assert.Single(Directory.GetFiles(gateway.PickupDirectory, "*.eml"));
        var text = await File.ReadAllTextAsync(file);
        Assert.StartsWith("X-Sender: <a@sender.test>\r\nX-Receiver: <b@example.com>\r\nReceived: ", text, StringComparison.Ordinal);
        Assert.Contains("Subject: To the pickup directory", text, StringComparison.Ordinal);
    }
}
