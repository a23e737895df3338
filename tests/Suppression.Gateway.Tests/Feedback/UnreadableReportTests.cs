using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Gateway.Tests.Unsubscribe;
using Suppression.Redis.Layout;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>
/// Issue 17, item 1: "when the body cannot be parsed, the tag still names the recipient; only the
/// reason is unknown." The tag holds a digest of its recipient, so the address comes from the
/// gateway's own unsubscribe link in the returned message, taken only when it is the tag's
/// recipient; the report then counts as a soft bounce, never more.
/// </summary>
public sealed class UnreadableReportTests(ReturnPathFixture fixture) : IClassFixture<ReturnPathFixture>
{
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.9");
    private static readonly IPAddress Tenant = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task An_unreadable_report_returning_the_copys_headers_counts_a_soft_bounce_for_the_tags_recipient_only()
    {
        var gateway = fixture.Reset();
        var (jane, john) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("john"));
        var copies = await RelayAsync(gateway, jane, john);

        var reply = await SendAsync(gateway, copies[jane].Sender, Unreadable(copies[jane].Sender, HeaderBlock(copies[jane])));

        Assert.StartsWith("250 2.0.0 Report received", reply, StringComparison.Ordinal);
        Assert.Equal(1, await SoftBouncesAsync(gateway, jane));
        Assert.Equal(0, await SoftBouncesAsync(gateway, john));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(jane));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(john));
    }

    [Fact]
    public async Task Unreadable_reports_on_a_valid_tag_add_up_to_the_soft_bounce_limit_audited_with_the_tag()
    {
        var gateway = fixture.Reset();
        var (jane, john) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("john"));
        var copies = await RelayAsync(gateway, jane, john);

        for (var i = 0; i < ReturnPathFixture.SoftBounceLimit; i++)
        {
            await SendAsync(gateway, copies[jane].Sender, Unreadable(copies[jane].Sender, HeaderBlock(copies[jane])));
        }

        var entry = Assert.Single(await gateway.EntriesAsync(jane));
        Assert.Equal(("global", "hard-bounce", "dsn"), (entry.GetProperty("scope").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("source").GetString()));
        var record = Assert.Single(await AuditTrail.ForAsync(gateway, jane));
        Assert.Equal("acme", record.GetProperty("tenant").GetString());
        var evidence = record.GetProperty("evidence").GetString()!;
        Assert.StartsWith($"{ReturnPathFixture.SoftBounceLimit} soft bounces within 7 days; last: the report could not be read (Unrecognized: ", evidence, StringComparison.Ordinal);
        Assert.Contains("its recipient is named by the gateway's unsubscribe link in the returned message; received on the gateway's return path of ", evidence, StringComparison.Ordinal);
        Assert.EndsWith(", tenant acme)", evidence, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(john));
    }

    [Fact]
    public async Task An_unreadable_report_without_the_original_is_kept_naming_the_tags_tenant_and_suppresses_nobody()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");
        var copies = await RelayAsync(gateway, jane);
        var marker = Guid.NewGuid().ToString("N");

        var reply = await SendAsync(gateway, copies[jane].Sender, Unreadable(copies[jane].Sender, $"X-Marker: {marker}"));

        Assert.StartsWith("250 2.0.0 Report received but not understood; kept", reply, StringComparison.Ordinal);
        Assert.Equal(0, await SoftBouncesAsync(gateway, jane));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(jane));
        var kept = Assert.Single(await KeptReportsAsync(gateway), report => report.GetProperty("message").GetString()!.Contains(marker, StringComparison.Ordinal));
        Assert.Contains("(received on the gateway's return path of ", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(", tenant acme))", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copy_returned_base64_encoded_in_an_unreadable_report_still_names_the_recipient()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");
        var copies = await RelayAsync(gateway, jane);
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(HeaderBlock(copies[jane])), Base64FormattingOptions.InsertLineBreaks);
        var report =
            $"From: postmaster@mx.provider.example\r\nTo: <{copies[jane].Sender}>\r\nSubject: Notice\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=\"M1\"\r\n\r\n--M1\r\nContent-Type: text/plain\r\n\r\nAutomated notice.\r\n" +
            $"--M1\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--M1--\r\n";

        Assert.StartsWith("250 2.0.0 Report received", await SendAsync(gateway, copies[jane].Sender, report), StringComparison.Ordinal);

        Assert.Equal(1, await SoftBouncesAsync(gateway, jane));
    }

    [Fact]
    public async Task An_out_of_office_answer_quoting_the_copy_counts_nothing()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");
        var copies = await RelayAsync(gateway, jane);
        var answer = Unreadable(copies[jane].Sender, HeaderBlock(copies[jane])).Replace("Subject: Notice", "Subject: Automatic reply: Spring sale", StringComparison.Ordinal);

        Assert.StartsWith("250 2.0.0 Report received but not understood; kept", await SendAsync(gateway, copies[jane].Sender, answer), StringComparison.Ordinal);

        Assert.Equal(0, await SoftBouncesAsync(gateway, jane));
    }

    [Fact]
    public async Task A_link_for_another_recipient_in_the_returned_message_is_not_taken()
    {
        var gateway = fixture.Reset();
        var (jane, john) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("john"));
        var copies = await RelayAsync(gateway, jane, john);

        // John's copy returned on jane's tag: the link is genuine, but names someone the tag does not.
        var reply = await SendAsync(gateway, copies[jane].Sender, Unreadable(copies[jane].Sender, HeaderBlock(copies[john])));

        Assert.StartsWith("250 2.0.0 Report received but not understood; kept", reply, StringComparison.Ordinal);
        Assert.Equal(0, await SoftBouncesAsync(gateway, jane));
        Assert.Equal(0, await SoftBouncesAsync(gateway, john));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(jane));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(john));
    }

    [Fact]
    public async Task A_readable_report_naming_only_another_address_counts_the_tags_recipient_as_a_soft_bounce_at_most()
    {
        var gateway = fixture.Reset();
        var (jane, forwarded) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("forwarded"));
        var copies = await RelayAsync(gateway, jane);

        // A forwarder's DSN: "5.1.1 user unknown" for the address it forwarded to, jane's copy returned.
        var reply = await SendAsync(gateway, copies[jane].Sender, Dsn(copies[jane].Sender, forwarded, HeaderBlock(copies[jane])));

        Assert.StartsWith("250 2.0.0 Report received", reply, StringComparison.Ordinal);
        Assert.Equal(1, await SoftBouncesAsync(gateway, jane));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(jane));
        Assert.Equal(HttpStatusCode.NotFound, await gateway.LookupStatusAsync(forwarded));
    }

    /// <summary>Relays one marketing message for the tenant to each recipient; each copy, with its tagged sender, by recipient.</summary>
    private async Task<Dictionary<string, ReceivedMessage>> RelayAsync(GatewayInstance gateway, params string[] recipients)
    {
        await using (var client = await GreetedFromAsync(gateway, Tenant))
        {
            Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<news@sender.test>"));
            foreach (var recipient in recipients)
            {
                Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
            }

            Assert.StartsWith("354", await client.CommandAsync("DATA"));
            Assert.StartsWith("250 2.0.0", await client.CommandAsync($"From: news@sender.test\r\nSubject: Spring sale\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\n\r\nBig discounts.\r\n."));
        }

        var copies = recipients.ToDictionary(recipient => recipient, recipient => Assert.Single(fixture.Sink.Messages, message => message.Recipients.SequenceEqual([recipient])));
        Assert.All(copies.Values, copy => Assert.Contains("List-Unsubscribe:", copy.Text, StringComparison.Ordinal));
        fixture.Sink.Messages.Clear();
        return copies;
    }

    private static string HeaderBlock(ReceivedMessage copy) => copy.Text[..copy.Text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];

    // Neither a multipart/report nor any bounce format: only the quoted headers are recognisable.
    private static string Unreadable(string to, string returnedHeaders) =>
        $"From: postmaster@mx.provider.example\r\nTo: <{to}>\r\nSubject: Notice\r\nMessage-ID: <notice-{Guid.NewGuid():N}@mx.provider.example>\r\n\r\n" +
        $"Automated notice about message processing. Details follow.\r\n\r\n{returnedHeaders}\r\n";

    // An RFC 3464 DSN for one address, returning the copy's headers (RFC 6522 3: text/rfc822-headers).
    private static string Dsn(string to, string recipient, string returnedHeaders) => $"""
        From: MAILER-DAEMON@mx.provider.example
        To: <{to}>
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <dsn-{Guid.NewGuid():N}@mx.provider.example>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

        --B1
        Content-Type: text/plain

        Your message could not be delivered.

        --B1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.provider.example

        Final-Recipient: rfc822; {recipient}
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 User unknown

        --B1
        Content-Type: text/rfc822-headers

        {returnedHeaders.ReplaceLineEndings("\n")}

        --B1--

        """.ReplaceLineEndings("\r\n");

    private static async Task<long> SoftBouncesAsync(GatewayInstance gateway, string address)
    {
        var key = gateway.Services.GetRequiredService<RedisKeyLayout>().SoftBounceKey(AddressNormalizer.Normalize(address));
        var count = await gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().StringGetAsync(key);
        return count.IsNull ? 0 : (long)count;
    }

    private static async Task<List<JsonElement>> KeptReportsAsync(GatewayInstance gateway)
    {
        var key = gateway.Services.GetRequiredService<RedisKeyLayout>().RejectedFeedbackKey;
        var kept = await gateway.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase().ListRangeAsync(key);
        return kept.Select(record => JsonDocument.Parse((string)record!).RootElement.Clone()).ToList();
    }

    private static async Task<RawSmtpClient> GreetedFromAsync(GatewayInstance gateway, IPAddress from)
    {
        var client = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, from);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO mx.provider.example"));
        return client;
    }

    private static async Task<string?> SendAsync(GatewayInstance gateway, string returnPath, string report)
    {
        await using var client = await GreetedFromAsync(gateway, Stranger);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<>"));
        Assert.StartsWith("250 2.1.5", await client.CommandAsync($"RCPT TO:<{returnPath}>"));
        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        return await client.CommandAsync(report + ".");
    }
}
