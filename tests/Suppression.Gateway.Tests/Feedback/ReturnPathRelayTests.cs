using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.ReturnPath;
using Suppression.Suppressions;

namespace Suppression.Gateway.Tests.Feedback;

/// <summary>Issue 17, item 1: each relayed copy's MAIL FROM is a signed tag naming that copy's recipient.</summary>
public sealed class ReturnPathRelayTests(ReturnPathFixture fixture) : IClassFixture<ReturnPathFixture>
{
    private const string Sender = "news@sender.test";

    [Fact]
    public async Task Each_copy_goes_upstream_from_its_own_verified_tag_at_the_global_domain()
    {
        var gateway = fixture.Reset();
        var (jane, john) = (Mail.UniqueAddress("jane"), Mail.UniqueAddress("john"));

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, IPAddress.Loopback, Sender, [jane, john]), StringComparison.Ordinal);

        var codec = gateway.Services.GetRequiredService<ReturnPathTagCodec>();
        var senders = new List<string>();
        foreach (var recipient in new[] { jane, john })
        {
            var copy = Assert.Single(fixture.Sink.Messages, message => message.Recipients.SequenceEqual([recipient]));
            var (localPart, domain) = Split(copy.Sender);
            Assert.Equal(ReturnPathFixture.GlobalDomain, domain);
            Assert.True(codec.TryDecode(localPart, DateTimeOffset.UtcNow, out var tag, out _));
            Assert.True(codec.Names(tag, MatchKey(recipient)));
            Assert.Equal(MessageClass.Marketing, tag.Class);
            Assert.Equal(ReturnPathContext.Digest(null, null), tag.ContextDigest.ToArray());
            senders.Add(copy.Sender);
        }

        Assert.NotEqual(senders[0], senders[1]);
    }

    [Fact]
    public async Task A_tenants_copy_is_tagged_at_the_tenants_own_domain_with_its_context()
    {
        var gateway = fixture.Reset();
        var jane = Mail.UniqueAddress("jane");

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, IPAddress.Parse("127.0.0.3"), Sender, [jane]), StringComparison.Ordinal);

        var (localPart, domain) = Split(Assert.Single(fixture.Sink.Messages).Sender);
        Assert.Equal(ReturnPathFixture.TenantDomain, domain);
        Assert.True(gateway.Services.GetRequiredService<ReturnPathTagCodec>().TryDecode(localPart, DateTimeOffset.UtcNow, out var tag, out _));
        Assert.Equal(ReturnPathContext.Digest("acme", null), tag.ContextDigest.ToArray());
    }

    [Fact]
    public async Task A_null_sender_stays_null()
    {
        var gateway = fixture.Reset();

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, IPAddress.Loopback, string.Empty, [Mail.UniqueAddress("jane")]), StringComparison.Ordinal);

        Assert.Equal(string.Empty, Assert.Single(fixture.Sink.Messages).Sender);
    }

    [Fact]
    public async Task The_gateways_own_dsn_for_a_refused_copy_still_goes_to_the_clients_sender()
    {
        var gateway = fixture.Reset();
        var (alive, gone) = (Mail.UniqueAddress("alive"), Mail.UniqueAddress("gone"));
        fixture.Sink.RcptReply = address => address == gone ? "550 5.1.1 No such user here" : null;

        Assert.StartsWith("250 2.0.0", await SendAsync(gateway, IPAddress.Loopback, Sender, [alive, gone]), StringComparison.Ordinal);

        var dsn = Assert.Single(fixture.Sink.Messages, message => message.Sender.Length == 0);
        Assert.Equal([Sender], dsn.Recipients);
    }

    private static string MatchKey(string address) => AddressVariantRules.Default.MatchKeyOf(AddressNormalizer.Normalize(address));

    private static (string LocalPart, string Domain) Split(string mailbox)
    {
        var at = mailbox.LastIndexOf('@');
        Assert.True(at > 0, mailbox);
        Assert.True(at <= 64, "local part over 64 octets");
        return (mailbox[..at], mailbox[(at + 1)..]);
    }

    private static async Task<string?> SendAsync(GatewayInstance gateway, IPAddress from, string sender, string[] recipients)
    {
        await using var client = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, from);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("250", await client.CommandAsync($"MAIL FROM:<{sender}>"));
        foreach (var recipient in recipients)
        {
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{recipient}>"));
        }

        Assert.StartsWith("354", await client.CommandAsync("DATA"));
        return await client.CommandAsync($"From: {Sender}\r\nSubject: return path\r\nMessage-ID: <{Guid.NewGuid():N}@sender.test>\r\n\r\nHello\r\n.");
    }
}
