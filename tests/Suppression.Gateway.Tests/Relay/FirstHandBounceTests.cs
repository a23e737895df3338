using System.Net;
using System.Net.Http.Json;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;

namespace Suppression.Gateway.Tests.Relay;

/// <summary>
/// Issue 17, item 3: a copy the upstream refuses for good with a reply that proves the mailbox gone,
/// at RCPT or after DATA, is a hard bounce the gateway saw itself: the recipient is suppressed
/// (global, hard-bounce, source relay) and the client still hears what it heard before. Any other
/// refusal suppresses nobody.
/// </summary>
public sealed class FirstHandBounceTests(RetryingClientFixture fixture) : IClassFixture<RetryingClientFixture>
{
    private const string Sender = "news@sender.test";

    [Fact]
    public async Task A_user_unknown_at_rcpt_suppresses_that_recipient_only_and_is_audited_with_the_reply()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        fixture.Sink.RcptReply = address => address == gone ? UserUnknown(gone) : null;
        var messageId = $"{Guid.NewGuid():N}@sender.test";

        var reply = await PartialRefusalTests.SendAsync(gateway, Sender, [alive, gone], Message(messageId), login: true);

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Single(fixture.Sink.Messages, message => message.Recipients.SequenceEqual([alive]));
        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(
            ("global", "hard-bounce", "relay"),
            (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, gone));
        Assert.Equal(
            ("relay", RetryingClientFixture.Tenant, messageId),
            (record.GetProperty("source").GetString(), record.GetProperty("tenant").GetString(), record.GetProperty("messageId").GetString()));
        Assert.Equal(
            $"upstream refused the copy: 550 5.1.1 <{AddressRedaction.Placeholder}>: Recipient address rejected: User unknown in virtual mailbox table",
            record.GetProperty("evidence").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(alive));
    }

    [Fact]
    public async Task After_erasure_a_refusal_at_rcpt_record_holds_the_address_nowhere_and_keeps_the_reply_code_and_words()
    {
        var gateway = fixture.Reset();
        var gone = Mail.UniqueAddress("erased-rcpt");
        fixture.Sink.RcptReply = address => address == gone ? UserUnknown(gone.ToUpperInvariant()) : null;
        await PartialRefusalTests.SendAsync(gateway, Sender, [Mail.UniqueAddress("alive"), gone], Message(), login: true);
        Assert.Equal("hard-bounce", Assert.Single(await gateway.EntriesAsync(gone)).GetProperty("reason").GetString());

        using var erased = await gateway.Http.PostAsJsonAsync("/api/v1/erasures", new { address = gone, evidence = "GDPR request" });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, gone), record => record.GetProperty("type").GetString() == "suppressed");
        Assert.Equal(
            $"upstream refused the copy: 550 5.1.1 <{AddressRedaction.Placeholder}>: Recipient address rejected: User unknown in virtual mailbox table",
            record.GetProperty("evidence").GetString());
        var export = await AuditTrail.ExportAsync(gateway, gone);
        Assert.DoesNotContain(gone, export, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(gone.Split('@')[0], export, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_user_unknown_after_data_suppresses_the_recipient_and_the_client_hears_the_refusal()
    {
        var gateway = fixture.Reset();
        var gone = Mail.UniqueAddress("gone");
        fixture.Sink.DataReply = message => message.Recipients.Contains(gone)
            ? "550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550 5.1.1 double-checking the recipient's email address for typos - gsmtp"
            : null;

        var reply = await PartialRefusalTests.SendAsync(gateway, Sender, [gone], Message());

        Assert.StartsWith("550 5.1.1 Upstream: The email account that you tried to reach does not exist", reply, StringComparison.Ordinal);
        var entry = Assert.Single(await gateway.EntriesAsync(gone));
        Assert.Equal(("hard-bounce", "relay"), (entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
    }

    // "User unknown" under a code that is not about the address proves the mailbox gone only in
    // answer to RCPT TO; after DATA it is a filter's words (issue 17 item 4; sisimai's Filtered.pm).
    [Fact]
    public async Task User_unknown_under_5_0_0_suppresses_at_rcpt_and_not_after_data()
    {
        var gateway = fixture.Reset();
        var (atRcpt, afterData) = (Mail.UniqueAddress("rcpt"), Mail.UniqueAddress("data"));
        fixture.Sink.RcptReply = address => address == atRcpt ? $"550 5.0.0 <{atRcpt}>: User unknown" : null;
        fixture.Sink.DataReply = message => message.Recipients.Contains(afterData) ? $"550 5.0.0 <{afterData}>: User unknown" : null;

        await PartialRefusalTests.SendAsync(gateway, Sender, [atRcpt], Message());
        await PartialRefusalTests.SendAsync(gateway, Sender, [afterData], Message());

        Assert.Equal("hard-bounce", Assert.Single(await gateway.EntriesAsync(atRcpt)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(afterData));
    }

    [Theory]
    [InlineData("550 5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser - gsmtp")]
    [InlineData("552 5.2.2 <{address}>: Mailbox full, over quota")]
    [InlineData("554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org")]
    [InlineData("550 5.1.1 <{address}>: Recipient address rejected: IP address 192.0.2.1 blacklisted")]
    [InlineData("550 5.2.1 Requested action not taken: mailbox unavailable")]
    [InlineData("550 5.0.0 Requested action not taken: mailbox unavailable (policy)")]
    public async Task A_refusal_that_does_not_prove_the_mailbox_gone_suppresses_nobody(string refusal)
    {
        var gateway = fixture.Reset();
        var (alive, refused) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("refused"));
        fixture.Sink.RcptReply = address => address == refused ? refusal.Replace("{address}", refused, StringComparison.Ordinal) : null;

        var reply = await PartialRefusalTests.SendAsync(gateway, Sender, [alive, refused], Message());

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(refused));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(alive));
    }

    [Fact]
    public async Task A_refusal_in_a_deferred_message_is_recorded_when_the_retry_gets_its_final_answer()
    {
        var gateway = fixture.Reset();
        var (alive, busy, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("busy"), Mail.UniqueAddress("gone"));
        var message = Message();
        fixture.Sink.RcptReply = address => address == gone ? UserUnknown(gone) : address == busy ? "451 4.2.1 Mailbox busy" : null;

        Assert.StartsWith("451", await PartialRefusalTests.SendAsync(gateway, Sender, [alive, busy, gone], message), StringComparison.Ordinal);

        // Suppressed now, gone@ would be dropped from the retry and the sender never told it bounced.
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(gone));

        fixture.Sink.RcptReply = address => address == gone ? UserUnknown(gone) : null;
        Assert.StartsWith("250 2.0.0", await PartialRefusalTests.SendAsync(gateway, Sender, [alive, busy, gone], message), StringComparison.Ordinal);

        Assert.Single(fixture.Sink.Messages, received => received.Sender.Length == 0 && received.Text.Contains("Final-Recipient: rfc822;" + gone, StringComparison.Ordinal));
        Assert.Equal("relay", Assert.Single(await gateway.EntriesAsync(gone)).GetProperty("source").GetString());
    }

    private static string UserUnknown(string address) => $"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table";

    private static string Message(string? messageId = null) =>
        $"From: News <{Sender}>\r\nTo: undisclosed-recipients:;\r\nMessage-ID: <{messageId ?? Guid.NewGuid().ToString("N") + "@sender.test"}>\r\nSubject: Offer\r\n\r\nHello\r\n";
}
