using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using StackExchange.Redis;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Relay;

public sealed partial class RelayPathTests(RelayFixture fixture) : IClassFixture<RelayFixture>
{
    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Relayed_message_reaches_upstream_byte_for_byte_apart_from_received_and_list_unsubscribe(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var recipient = Mail.UniqueAddress("reader");
        var body = "From: News <news@sender.test>\r\nTo: <" + recipient + ">\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
            + "Message-ID: <exact-" + Guid.NewGuid().ToString("N") + "@sender.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + "Grüße aus dem Gateway.\r\n.A line that starts with a dot\r\n..two dots\r\n\r\n  trailing spaces  \r\nlast line\r\n";
        var stuffed = body.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);

        await using var client = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO marketing.test"));
        Assert.StartsWith("250 2.1.0", await client.CommandAsync("MAIL FROM:<news@sender.test> BODY=8BITMIME"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(stuffed + ".\r\n");
        Assert.StartsWith("250 2.0.0", await client.ReadReplyAsync());

        var received = Assert.Single(fixture.Sink.Messages);
        Assert.Equal("news@sender.test", received.Sender);
        Assert.Equal([recipient], received.Recipients);
        var text = received.Text;
        var afterReceived = SkipFirstHeader(text);
        var receivedHeader = text[..^afterReceived.Length].Replace("\r\n\t", " ", StringComparison.Ordinal).Replace("\r\n ", " ", StringComparison.Ordinal);
        Assert.StartsWith("Received: from marketing.test ([127.0.0.1]) by gateway.test with ESMTP id ", receivedHeader, StringComparison.Ordinal);

        // The gateway's fields come first; everything after them is the client's bytes.
        var stamp = StampPattern().Match(afterReceived);
        Assert.True(stamp.Success, afterReceived);
        Assert.Equal(0, stamp.Index);
        Assert.Equal(body, afterReceived[stamp.Length..]);
        Assert.Single(text.Split("\r\n"), line => line.StartsWith("Received:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Suppressed_recipient_is_dropped_and_logged_while_the_other_recipient_gets_the_message(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var optedOut = Mail.UniqueAddress("opted-out");
        var subscriber = Mail.UniqueAddress("subscriber");
        var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut.ToUpperInvariant(), reason = "unsubscribe" });
        Assert.Equal(System.Net.HttpStatusCode.Created, added.StatusCode);

        var message = Mail.Create("news@sender.test", [optedOut, subscriber]);
        await Mail.SendAsync(gateway.SmtpPort, message);

        var received = Assert.Single(fixture.Sink.Messages);
        Assert.Equal([subscriber], received.Recipients);
        var record = await FindBlockedDeliveryAsync(gateway, optedOut);
        Assert.NotNull(record);
        Assert.Equal(message.MessageId, record.Value.GetProperty("messageId").GetString());
        Assert.Equal("news@sender.test", record.Value.GetProperty("sender").GetString());
        Assert.Equal("unsubscribe", record.Value.GetProperty("reason").GetString());
        Assert.Equal("global", record.Value.GetProperty("scope").GetString());
        Assert.Equal("127.0.0.1", record.Value.GetProperty("clientIp").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Without_tenants_configured_relay_mail_answers_to_global_opt_outs_only(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var tenantOptOut = Mail.UniqueAddress("tenant-wide");
        var topicOptOut = Mail.UniqueAddress("topic");
        var globalOptOut = Mail.UniqueAddress("global");
        foreach (var (address, scope) in new[] { (tenantOptOut, "tenant:acme"), (topicOptOut, "topic:acme/deals.acme.example"), (globalOptOut, "global") })
        {
            using var added = await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, scope, reason = "unsubscribe" });
            Assert.Equal(System.Net.HttpStatusCode.Created, added.StatusCode);
        }

        var message = Mail.Create("news@sender.test", [tenantOptOut, topicOptOut, globalOptOut]);
        message.Headers.Add("List-Id", "Acme Deals <deals.acme.example>");
        await Mail.SendAsync(gateway.SmtpPort, message);

        Assert.Equal([tenantOptOut, topicOptOut], fixture.Sink.Messages.Select(copy => Assert.Single(copy.Recipients)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Message_whose_recipients_are_all_suppressed_is_accepted_and_goes_nowhere(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var optedOut = Mail.UniqueAddress("gone");
        await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address = optedOut });

        var response = await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [optedOut]));

        Assert.Contains("accepted", response, StringComparison.Ordinal);
        Assert.Empty(fixture.Sink.Messages);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Removed_suppression_lets_mail_through_again(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var address = Mail.UniqueAddress("returning");
        await gateway.Http.PostAsJsonAsync("/api/v1/suppressions", new { address });
        using var removal = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/suppressions/" + address)
        {
            Content = JsonContent.Create(new { evidence = "double opt-in confirmed 2026-11-23" }),
        };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await gateway.Http.SendAsync(removal)).StatusCode);

        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [address]));

        Assert.Equal([address], Assert.Single(fixture.Sink.Messages).Recipients);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upstream_permanent_refusal_reaches_the_client_with_the_upstream_text(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        fixture.Sink.DataReply = _ => "554 5.7.1 Content rejected by upstream policy";

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("x")])));

        Assert.Equal(554, (int)error.StatusCode);
        Assert.Contains("Content rejected by upstream policy", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upstream_temporary_refusal_gives_the_client_451_never_250(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        fixture.Sink.DataReply = _ => "451 4.3.0 Try again later";

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("x")])));

        Assert.Equal(451, (int)error.StatusCode);
        Assert.Empty(fixture.Sink.Messages);
    }

    [Fact]
    public async Task An_upstream_that_greets_with_421_is_tried_again_on_a_new_connection_and_the_message_goes_through()
    {
        await using var sink = new TestSmtpSink { Greeting = number => number == 1 ? "421 4.3.2 Too busy, try again later" : null };
        await using var gateway = await GatewayInstance.StartAsync(redis: null, sink.Port);
        var log = CapturedLog.AttachTo(gateway);
        var message = Mail.Create("news@sender.test", [Mail.UniqueAddress("patient")]);

        await Mail.SendAsync(gateway.SmtpPort, message);

        Assert.Single(sink.Messages);
        Assert.Equal(2, sink.Connections);
        Assert.DoesNotContain("failed unexpectedly", log.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upstream_refusing_a_recipient_fails_the_message_with_the_upstream_reply(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var unknown = Mail.UniqueAddress("unknown");
        fixture.Sink.RcptReply = address => address == unknown ? "550 5.1.1 No such user here" : null;

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [unknown])));

        Assert.Equal(550, (int)error.StatusCode);
        Assert.Contains("No such user here", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Upstream_dropping_the_connection_after_data_gives_451(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        fixture.Sink.DropConnectionAfterData = true;

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            Mail.SendAsync(gateway.SmtpPort, Mail.Create("news@sender.test", [Mail.UniqueAddress("x")])));

        Assert.Equal(451, (int)error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task Consecutive_messages_reuse_one_upstream_connection(string backend)
    {
        var gateway = await fixture.GatewayAsync(backend);
        var before = fixture.Sink.Connections;

        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", gateway.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        for (var i = 0; i < 5; i++)
        {
            await client.SendAsync(Mail.Create("news@sender.test", [Mail.UniqueAddress("pooled")]));
        }

        await client.DisconnectAsync(true);
        Assert.Equal(5, fixture.Sink.Messages.Count);
        Assert.True(fixture.Sink.Connections - before <= 1, $"{fixture.Sink.Connections - before} upstream connections for 5 messages");
    }

    [GeneratedRegex(@"^List-Unsubscribe:\s+<http://127\.0\.0\.1:\d+/u/[A-Za-z0-9_-]{90,}>,\s+<mailto:unsubscribe@gateway\.test\?subject=unsubscribe-[A-Za-z0-9_-]{90,}>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")]
    private static partial Regex StampPattern();

    private static string SkipFirstHeader(string text)
    {
        var index = text.IndexOf("\r\n", StringComparison.Ordinal);
        while (index >= 0 && index + 2 < text.Length && text[index + 2] is ' ' or '\t')
        {
            index = text.IndexOf("\r\n", index + 2, StringComparison.Ordinal);
        }

        return text[(index + 2)..];
    }

    private static async Task<JsonElement?> FindBlockedDeliveryAsync(GatewayInstance gateway, string recipient) =>
        (await Unsubscribe.AuditTrail.ForAsync(gateway, recipient, blocked: true)) is [.., var last] ? last : null;
}
