using System.Text;
using MimeKit;
using Suppression.Gateway.Tests.Infrastructure;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 16, item 1: a copy the upstream refuses for good while others are accepted is reported by
/// the gateway in a DSN to the envelope sender, and the client hears 250, so it bounces no one who
/// got the message. Only when no copy reached the upstream does the client hear the refusal.
/// </summary>
public sealed class PartialRefusalTests(RetryingClientFixture fixture) : IClassFixture<RetryingClientFixture>
{
    private const string Sender = "news@sender.test";

    [Fact]
    public async Task A_recipient_refused_upstream_beside_an_accepted_one_gives_the_client_250_and_the_sender_one_dsn_naming_only_it()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : null;

        var reply = await SendAsync(gateway, Sender, [alive, gone], Message());

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Equal(2, fixture.Sink.Messages.Count);
        Assert.Equal([alive], Assert.Single(fixture.Sink.Messages, message => message.Sender == Sender).Recipients);
        var (perMessage, refused) = SingleDsn(Sender);
        Assert.Equal("dns; gateway.test", perMessage["Reporting-MTA"]);
        Assert.NotNull(perMessage["Arrival-Date"]);
        var group = Assert.Single(refused);
        Assert.Equal(
            ("rfc822;" + gone, "failed", "5.1.1", "dns; 127.0.0.1", "smtp; 550 5.1.1 No such user here"),
            (group["Final-Recipient"], group["Action"], group["Status"], group["Remote-MTA"], group["Diagnostic-Code"]));
    }

    [Fact]
    public async Task A_message_with_the_null_sender_gets_250_and_no_dsn()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : null;

        var reply = await SendAsync(gateway, string.Empty, [alive, gone], Message());

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Equal([alive], Assert.Single(fixture.Sink.Messages).Recipients);
    }

    [Fact]
    public async Task A_dsn_the_upstream_does_not_take_gives_451_and_the_retry_sends_only_the_dsn()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        var message = Message();
        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : address == Sender ? "451 4.3.0 Try again later" : null;

        var first = await SendAsync(gateway, Sender, [alive, gone], message);

        Assert.StartsWith("451 4.3.0", first, StringComparison.Ordinal);
        Assert.Equal([alive], Assert.Single(fixture.Sink.Messages).Recipients);

        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : null;
        var retry = await SendAsync(gateway, Sender, [alive, gone], message);

        Assert.StartsWith("250 2.0.0", retry, StringComparison.Ordinal);
        Assert.Single(fixture.Sink.Messages, received => received.Recipients.Contains(alive));
        Assert.Equal("rfc822;" + gone, Assert.Single(SingleDsn(Sender).Refused)["Final-Recipient"]);
    }

    [Fact]
    public async Task A_dsn_the_upstream_refuses_for_good_still_gives_250_and_the_delivered_copy_is_not_bounced()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        fixture.Sink.RcptReply = address => address == gone || address == Sender ? "550 5.1.1 No such user here" : null;

        var reply = await SendAsync(gateway, Sender, [alive, gone], Message());

        // Deferring would end, days later, in the client's bounce of alive@ too.
        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Equal([alive], Assert.Single(fixture.Sink.Messages).Recipients);
    }

    [Fact]
    public async Task Every_copy_refused_gives_the_client_the_refusal_and_no_dsn()
    {
        var gateway = fixture.Reset();
        fixture.Sink.RcptReply = _ => "550 5.1.1 No such user here";

        var reply = await SendAsync(gateway, Sender, [Mail.UniqueAddress("gone"), Mail.UniqueAddress("gone")], Message());

        Assert.StartsWith("550 5.1.1", reply, StringComparison.Ordinal);
        Assert.Empty(fixture.Sink.Messages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_deferral_beside_a_refusal_gives_451_and_the_retry_follows_the_dsn_rule(bool busyIsAcceptedOnRetry)
    {
        var gateway = fixture.Reset();
        var (alive, busy, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("busy"), Mail.UniqueAddress("gone"));
        var message = Message();
        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : address == busy ? "451 4.2.1 Mailbox busy" : null;

        var first = await SendAsync(gateway, Sender, [alive, busy, gone], message);

        Assert.StartsWith("451 4.4.0", first, StringComparison.Ordinal);
        Assert.Equal([alive], Assert.Single(fixture.Sink.Messages).Recipients);

        fixture.Sink.RcptReply = address => address == gone || (address == busy && !busyIsAcceptedOnRetry) ? "550 5.1.1 No such user here" : null;
        var retry = await SendAsync(gateway, Sender, [alive, busy, gone], message);

        Assert.StartsWith("250 2.0.0", retry, StringComparison.Ordinal);
        Assert.Single(fixture.Sink.Messages, received => received.Recipients.Contains(alive));
        Assert.Equal(busyIsAcceptedOnRetry ? 1 : 0, fixture.Sink.Messages.Count(received => received.Recipients.Contains(busy)));
        string[] refused = busyIsAcceptedOnRetry ? ["rfc822;" + gone] : ["rfc822;" + busy, "rfc822;" + gone];
        Assert.Equal(refused, SingleDsn(Sender).Refused.Select(group => group["Final-Recipient"]));
    }

    private (HeaderList PerMessage, List<HeaderList> Refused) SingleDsn(string to)
    {
        var dsn = Assert.Single(fixture.Sink.Messages, message => message.Sender.Length == 0);
        Assert.Equal([to], dsn.Recipients);
        var report = Assert.IsType<MultipartReport>(MimeMessage.Load(new MemoryStream(dsn.Data)).Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.IsType<TextRfc822Headers>(report[2]);
        var groups = Assert.IsType<MessageDeliveryStatus>(report[1]).StatusGroups;
        return (groups[0], groups.Where(group => group.Contains("Final-Recipient")).ToList());
    }

    // One message, the same bytes on every try (the Message-ID keys what was accepted).
    private static string Message() =>
        $"From: News <{Sender}>\r\nTo: undisclosed-recipients:;\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\nSubject: Offer\r\n\r\nHello\r\n";

    internal static async Task<string> SendAsync(GatewayInstance gateway, string sender, IEnumerable<string> recipients, string message, bool login = false)
    {
        await using var client = await RawSmtpClient.GreetedAsync(gateway.SmtpPort, "client.test");
        if (login)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{RetryingClientFixture.Username}\0{RetryingClientFixture.Password}"));
            Assert.StartsWith("235", await client.CommandAsync("AUTH PLAIN " + credentials), StringComparison.Ordinal);
        }

        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}>"), StringComparison.Ordinal);
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"), StringComparison.Ordinal);
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"), StringComparison.Ordinal);
        await client.SendAsync(message + ".\r\n");
        return await client.ReadReplyAsync() ?? "(connection closed)";
    }
}
