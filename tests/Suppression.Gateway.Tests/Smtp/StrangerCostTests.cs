using System.Net;
using System.Text;
using StackExchange.Redis;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// What a message may ask of the parser, bounded before anything parses it (issue 15, item 8): the
/// header block (Suppression:Smtp:MaxHeaderBytes, 1 MiB) and one header field with its folded lines
/// (MaxHeaderFieldBytes, 100 KiB) for every message; for the gateway's own mailboxes, which take mail
/// from anyone, the size (MaxLocalMailboxBytes, 2 MiB), the MIME boundaries (MaxLocalMailboxParts,
/// 1000) and the recipients one report may name (Suppression:Feedback:MaxReportRecipients, 100).
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class StrangerCostTests(StrangerCostFixture fixture) : IClassFixture<StrangerCostFixture>
{
    [Fact]
    public async Task A_header_block_over_the_limit_is_refused_with_552_and_nothing_is_relayed()
    {
        var padding = new StringBuilder();
        for (var i = 0; padding.Length <= 1_048_576; i++)
        {
            padding.Append(Invariant($"X-Padding-{i}: ")).Append('x', 900).Append("\r\n");
        }

        var reply = await SendAsync("news@sender.test", "reader@example.com", $"From: news@sender.test\r\nTo: reader@example.com\r\n{padding}Subject: big header\r\n\r\nHello\r\n");

        Assert.StartsWith("552 5.3.4", reply);
        Assert.DoesNotContain(fixture.Sink.Messages, message => message.Text.Contains("big header", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_folded_field_over_the_limit_in_a_mime_parts_header_is_refused_with_552()
    {
        var folded = string.Concat(Enumerable.Repeat("\r\n x", 30_000));
        var message = "From: news@sender.test\r\nTo: reader@example.com\r\nSubject: folded part\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\nX-Long: x" + folded + "\r\n\r\nHello\r\n--b--\r\n";

        var reply = await SendAsync("news@sender.test", "reader@example.com", message);

        Assert.StartsWith("552 5.3.4", reply);
        Assert.Contains("102400", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Sink.Messages, relayed => relayed.Text.Contains("folded part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_of_many_empty_mime_parts_is_refused_with_554_before_it_is_parsed_and_nothing_is_kept()
    {
        var marker = Guid.NewGuid().ToString("N");
        var parts = string.Concat(Enumerable.Repeat("--b\r\n\r\n", 100_000));
        var message = $"From: stranger@example.net\r\nSubject: {marker}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{parts}--b--\r\n";

        var reply = await SendAsync(string.Empty, "bounces@gateway.test", message);

        Assert.StartsWith("554 5.6.0", reply);
        Assert.DoesNotContain(await KeptAsync(), record => record.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_over_the_local_mailbox_size_is_refused_with_552()
    {
        var body = string.Concat(Enumerable.Repeat(new string('x', 998) + "\r\n", 2_200));

        var reply = await SendAsync(string.Empty, "bounces@gateway.test", $"From: stranger@example.net\r\nSubject: big\r\n\r\n{body}");

        Assert.StartsWith("552 5.3.4", reply);
    }

    [Fact]
    public async Task A_bounce_naming_more_recipients_than_allowed_is_kept_for_a_person_and_suppresses_no_one()
    {
        var recipients = Enumerable.Range(0, 101).Select(_ => Mail.UniqueAddress("many")).ToList();
        var groups = string.Concat(recipients.Select(recipient => $"Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"));
        var marker = Guid.NewGuid().ToString("N");
        var message = $"From: MAILER-DAEMON@mx.example\r\nSubject: {marker}\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n"
            + $"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n{groups}--b--\r\n";

        var reply = await SendAsync(string.Empty, "bounces@gateway.test", message);

        Assert.StartsWith("250 2.0.0 Report received but not understood", reply);
        Assert.Contains(await KeptAsync(), record => record.Contains(marker, StringComparison.Ordinal) && record.Contains("more than 100 recipient groups", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, await fixture.Gateway.LookupStatusAsync(recipients[0]));
    }

    [Fact]
    public async Task One_networks_junk_is_kept_up_to_its_share_and_cannot_push_another_sources_report_out()
    {
        var marker = Guid.NewGuid().ToString("N");
        var replies = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            replies.Add(await SendAsync(string.Empty, "bounces@gateway.test", $"Subject: junk {marker}\r\n\r\nnothing to read\r\n", IPAddress.Parse($"127.0.2.{i}")));
        }

        var real = await SendAsync(string.Empty, "bounces@gateway.test", $"Subject: real {marker}\r\n\r\nHi. This is the qmail-send program.\r\n", IPAddress.Parse("127.0.3.1"));

        Assert.All(replies.Take(3), reply => Assert.StartsWith("250 2.0.0 Report received but not understood; kept", reply));
        Assert.All(replies.Skip(3), reply => Assert.StartsWith("250 2.0.0 Report received but not understood; not kept", reply));
        Assert.StartsWith("250 2.0.0 Report received but not understood; kept", real);
        var kept = (await KeptAsync()).Where(record => record.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, kept.Count(record => record.Contains("junk", StringComparison.Ordinal)));
        Assert.Single(kept, record => record.Contains("real", StringComparison.Ordinal));
    }

    private async Task<string> SendAsync(string sender, string recipient, string message, IPAddress? from = null)
    {
        await using var client = await RawSmtpClient.ConnectFromAsync(fixture.Gateway.SmtpPort, from ?? IPAddress.Loopback);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO mx.stranger.example"));
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}>"));
        Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        await client.SendAsync(message.Replace("\r\n.", "\r\n..", StringComparison.Ordinal) + ".\r\n");
        return (await client.ReadReplyAsync(TimeSpan.FromMinutes(2)))!;
    }

    private async Task<List<string>> KeptAsync()
    {
        var redis = (IConnectionMultiplexer)fixture.Gateway.Services.GetService(typeof(IConnectionMultiplexer))!;
        var kept = await redis.GetDatabase().ListRangeAsync(RedisKeyLayout.Default.RejectedFeedbackKey, 0, -1);
        return kept.Select(record => record.ToString()).ToList();
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
