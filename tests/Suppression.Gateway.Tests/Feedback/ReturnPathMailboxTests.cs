using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.ReturnPath;
using Suppression.Suppressions;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// Issue 17, item 1: a signed return path takes mail from anyone only while its tag verifies, and a
/// report on it can affect only the recipient the tag was minted for.
/// </summary>
public sealed class ReturnPathMailboxTests(ReturnPathFixture fixture) : IClassFixture<ReturnPathFixture>
{
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.9");

    [Fact]
    public async Task A_valid_tag_takes_mail_from_a_stranger_and_nothing_is_relayed()
    {
        var gateway = fixture.Reset();
        var returnPath = await ReturnPathOfCopyToAsync(gateway, Mail.UniqueAddress("jane"));
        fixture.Sink.Messages.Clear();

        var reply = await SendAsync(gateway, Stranger, returnPath, "From: someone@elsewhere.test\r\nSubject: hello\r\n\r\nJust text.\r\n");

        Assert.StartsWith("250 2.0.0", reply, StringComparison.Ordinal);
        Assert.Empty(fixture.Sink.Messages);
    }

    [Fact]
    public async Task An_upper_cased_tag_is_still_accepted()
    {
        var gateway = fixture.Reset();
        var returnPath = await ReturnPathOfCopyToAsync(gateway, Mail.UniqueAddress("jane"));
        var at = returnPath.IndexOf('@');

        Assert.StartsWith("250 2.1.5", await RcptAsync(gateway, Stranger, returnPath[..at].ToUpperInvariant() + returnPath[at..]), StringComparison.Ordinal);
    }

    public static TheoryData<string> RelayingClients => new() { "127.0.0.9", "127.0.0.1", "127.0.0.3" };

    [Theory]
    [MemberData(nameof(RelayingClients))]
    public async Task Invented_altered_and_expired_tags_are_refused_at_rcpt_from_any_client(string client)
    {
        var gateway = fixture.Reset();
        var valid = await ReturnPathOfCopyToAsync(gateway, Mail.UniqueAddress("jane"));
        var altered = (valid[5] == 'a' ? 'b' : 'a') is var c ? valid[..5] + c + valid[6..] : valid;
        var expired = gateway.Services.GetRequiredService<ReturnPathTagCodec>()
            .Encode("jane@example.com", null, null, MessageClass.Marketing, DateTimeOffset.UtcNow.AddDays(-31)) + "@" + ReturnPathFixture.GlobalDomain;
        fixture.Sink.Messages.Clear();

        foreach (var address in new[] { "postmaster@" + ReturnPathFixture.GlobalDomain, new string('a', 48) + "@" + ReturnPathFixture.TenantDomain, altered, expired })
        {
            Assert.StartsWith("550 5.1.1", await RcptAsync(gateway, IPAddress.Parse(client), address), StringComparison.Ordinal);
        }

        Assert.Empty(fixture.Sink.Messages);
    }

    [Fact]
    public async Task A_forged_dsn_on_a_valid_tag_suppresses_only_the_tags_recipient()
    {
        var gateway = fixture.Reset();
        var (jane, victim) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("victim"));
        var returnPath = await ReturnPathOfCopyToAsync(gateway, jane);

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, Dsn(returnPath, victim, jane)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
        var entry = Assert.Single(await gateway.EntriesAsync(jane));
        Assert.Equal("hard-bounce", entry.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_dsn_on_a_valid_tag_naming_only_someone_else_suppresses_nobody()
    {
        var gateway = fixture.Reset();
        var (jane, victim) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("victim"));
        var returnPath = await ReturnPathOfCopyToAsync(gateway, jane);

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, Dsn(returnPath, victim)), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(jane));
    }

    [Fact]
    public async Task A_report_on_a_tenants_tag_is_forwarded_to_its_bounce_address_with_the_null_sender()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");
        var returnPath = await ReturnPathOfCopyToAsync(gateway, jane, IPAddress.Parse("127.0.0.3"));
        fixture.Sink.Messages.Clear();
        var dsn = Dsn(returnPath, jane);

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, dsn), StringComparison.Ordinal);

        var forwarded = Assert.Single(fixture.Sink.Messages);
        Assert.Equal(string.Empty, forwarded.Sender);
        Assert.Equal([ReturnPathFixture.TenantBounceAddress], forwarded.Recipients);
        Assert.Equal(dsn, forwarded.Text); // as it came, byte for byte (issue 18)
        Assert.Single(await gateway.EntriesAsync(jane));
    }

    // Mail to the gateway's own mailboxes is read liberally (bare LF accepted, issue 17); what it
    // forwards upstream still ends every line in CRLF (RFC 5321 2.3.8: no smuggling past it).
    [Fact]
    public async Task A_report_with_bare_line_feeds_is_forwarded_with_crlf_line_ends()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");
        var returnPath = await ReturnPathOfCopyToAsync(gateway, jane, IPAddress.Parse("127.0.0.3"));
        fixture.Sink.Messages.Clear();
        var dsn = Dsn(returnPath, jane).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, dsn[..^1] + "\r\n"), StringComparison.Ordinal);

        var forwarded = Assert.Single(fixture.Sink.Messages).Text;
        Assert.Contains("Reporting-MTA: dns; mx.provider.example\r\n", forwarded, StringComparison.Ordinal);
        Assert.DoesNotMatch("(?<!\r)\n", forwarded);
    }

    [Fact]
    public async Task A_complaint_on_a_tenants_tag_stops_that_tenants_marketing_only_and_names_nobody_else()
    {
        var gateway = fixture.Reset();
        var (jane, victim) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("victim"));
        var returnPath = await ReturnPathOfCopyToAsync(gateway, jane, IPAddress.Parse("127.0.0.3"));

        // The returned message names no gateway link: only the tag can say whose mail it was.
        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, FeedbackReports.Arf(returnPath, jane)), StringComparison.Ordinal);
        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, Stranger, returnPath, FeedbackReports.Arf(returnPath, victim)), StringComparison.Ordinal);

        var entry = Assert.Single(await gateway.EntriesAsync(jane));
        Assert.Equal(("tenant:acme", "complaint"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(victim));
    }

    [Fact]
    public async Task Two_tags_in_one_transaction_are_two_transactions()
    {
        var gateway = fixture.Reset();
        var first = await ReturnPathOfCopyToAsync(gateway, Mail.UniqueAddress("jane"));
        var second = await ReturnPathOfCopyToAsync(gateway, Mail.UniqueAddress("john"));

        await using var client = await GreetedFromAsync(gateway, Stranger);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{first}>"));
        Assert.StartsWith("452 4.5.3", await client.CommandAsync($"RCPT TO:<{second}>"));
    }

    private async Task<string> ReturnPathOfCopyToAsync(GatewayInstance gateway, string recipient, IPAddress? client = null)
    {
        fixture.Sink.Messages.Clear();
        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, client ?? IPAddress.Loopback, recipient, "From: news@sender.test\r\nSubject: sale\r\n\r\nHello\r\n", "news@sender.test"), StringComparison.Ordinal);
        return Assert.Single(fixture.Sink.Messages).Sender;
    }

    private static async Task<RawSmtpClient> GreetedFromAsync(GatewayInstance gateway, IPAddress from)
    {
        var client = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, from);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO mx.provider.example"));
        return client;
    }

    private static async Task<string?> RcptAsync(GatewayInstance gateway, IPAddress from, string recipient)
    {
        await using var client = await GreetedFromAsync(gateway, from);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        return await client.CommandAsync($"RCPT TO:<{recipient}>");
    }

    private static async Task<string?> SendAsync(GatewayInstance gateway, IPAddress from, string recipient, string message, string sender = "")
    {
        await using var client = await GreetedFromAsync(gateway, from);
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        return await client.CommandAsync(message + ".");
    }

    // An RFC 3464 DSN with one failed (5.1.1) group per recipient.
    private static string Dsn(string to, params string[] recipients) => $"""
        From: MAILER-DAEMON@mx.provider.example (Mail Delivery System)
        To: {to}
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <dsn-{Guid.NewGuid():N}@mx.provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain; charset=us-ascii

        Your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.provider.example
        {string.Concat(recipients.Select(recipient => $"\nFinal-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"))}
        --B1--

        """.ReplaceLineEndings("\r\n");
}
