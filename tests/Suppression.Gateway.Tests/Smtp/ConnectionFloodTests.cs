using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Smtp.Server;

namespace Suppression.Gateway.Tests.Smtp;

/// <summary>
/// A flood of connections past Suppression:Smtp:MaxSessions: every one beyond the limit is told
/// 421 at connect and closed (RFC 5321 3.1), the sessions holding the slots give them back when
/// they hang up or fall silent past the command timeout, and then an ordinary client is served.
/// </summary>
public sealed class ConnectionFloodTests
{
    private const int MaxSessions = 4;
    private const int Flood = 40;

    [Fact]
    public async Task Connections_beyond_the_session_limit_get_421_and_an_ordinary_client_is_served_once_the_flood_ends()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:MaxSessions"] = MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Suppression:Smtp:CommandTimeout"] = "00:00:02",
        });
        var sessions = gateway.Services.GetRequiredService<SmtpConnectionHandler>();

        // The slots are taken: half by clients that will hang up, half by clients that fall silent.
        var holders = new List<RawSmtpClient>();
        for (var i = 0; i < MaxSessions; i++)
        {
            var holder = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
            Assert.StartsWith("220", await holder.ReadReplyAsync());
            holders.Add(holder);
        }

        var refused = await Task.WhenAll(Enumerable.Range(0, Flood).Select(async _ =>
        {
            await using var extra = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
            var greeting = await extra.ReadReplyAsync();
            return (Greeting: greeting, ThenClosed: await extra.ReadReplyAsync() is null);
        }));

        Assert.All(refused, connection =>
        {
            Assert.StartsWith("421 4.7.0", connection.Greeting);
            Assert.True(connection.ThenClosed);
        });
        Assert.Equal(MaxSessions, sessions.OpenSessions);

        // The flood ends: the first half hang up without QUIT; the rest are cut off by the timeout.
        foreach (var holder in holders.Take(MaxSessions / 2))
        {
            await holder.DisposeAsync();
        }

        foreach (var holder in holders.Skip(MaxSessions / 2))
        {
            Assert.StartsWith("421 4.4.2", await holder.ReadReplyAsync());
            await holder.DisposeAsync();
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sessions.OpenSessions == 0), TimeSpan.FromSeconds(10)));
        await Mail.SendAsync(gateway.SmtpPort, Mail.Create("a@sender.test", ["after-the-flood@example.com"]));
        Assert.Equal("after-the-flood@example.com", Assert.Single(Assert.Single(sink.Messages).Recipients));
    }

    [Fact]
    public async Task One_client_outside_the_relay_networks_gets_its_share_and_a_421_beyond_it()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            // 127.0.0.1 is a stranger here: a mailbox provider sending feedback, or an attacker.
            ["Suppression:Smtp:RelayNetworks:0"] = "192.0.2.0/24",
            ["Suppression:Smtp:MaxSessionsPerClient"] = "2",
        });

        var first = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220", await first.ReadReplyAsync());
        await using var second = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220", await second.ReadReplyAsync());

        await using (var third = await RawSmtpClient.ConnectAsync(gateway.SmtpPort))
        {
            Assert.StartsWith("421 4.7.0", await third.ReadReplyAsync());
            Assert.Null(await third.ReadReplyAsync());
        }

        // A session that ends gives its slot back.
        await first.DisposeAsync();
        var sessions = gateway.Services.GetRequiredService<SmtpConnectionHandler>();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sessions.OpenSessions == 1), TimeSpan.FromSeconds(10)));
        await using var fourth = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220", await fourth.ReadReplyAsync());
    }

    [Fact]
    public async Task Clients_in_the_relay_networks_are_not_held_to_the_per_client_limit()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:MaxSessionsPerClient"] = "1",
        });

        await using var first = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);
        Assert.StartsWith("220", await first.ReadReplyAsync());
        await using var second = await RawSmtpClient.ConnectAsync(gateway.SmtpPort);

        Assert.StartsWith("220", await second.ReadReplyAsync());
    }

    [Fact]
    public async Task Strangers_from_many_addresses_get_421_past_their_share_and_a_relay_client_still_gets_in()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            // Only 127.0.0.2 relays; every other loopback address is a stranger, each under its own per-client limit.
            ["Suppression:Smtp:RelayNetworks:0"] = "127.0.0.2/32",
            ["Suppression:Smtp:MaxSessions"] = "6",
        });

        var strangers = new List<RawSmtpClient>();
        for (var i = 0; i < 3; i++)
        {
            var stranger = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, IPAddress.Parse($"127.0.1.{i + 1}"));
            Assert.StartsWith("220", await stranger.ReadReplyAsync());
            strangers.Add(stranger);
        }

        await using (var oneTooMany = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, IPAddress.Parse("127.0.1.99")))
        {
            Assert.StartsWith("421 4.7.0", await oneTooMany.ReadReplyAsync());
        }

        await using (var relayClient = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, IPAddress.Parse("127.0.0.2")))
        {
            Assert.StartsWith("220", await relayClient.ReadReplyAsync());
            Assert.StartsWith("250", await relayClient.CommandAsync("EHLO marketing.test"));
            Assert.StartsWith("250", await relayClient.CommandAsync("MAIL FROM:<news@sender.test>"));
            Assert.StartsWith("250", await relayClient.CommandAsync("RCPT TO:<reader@example.com>"));
        }

        foreach (var stranger in strangers)
        {
            await stranger.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stranger_refused_for_the_total_limit_does_not_give_back_a_per_client_slot_it_never_took()
    {
        await using var sink = new TestSmtpSink();
        await using var gateway = await GatewayInstance.StartAsync(null, sink.Port, new Dictionary<string, string>
        {
            ["Suppression:Smtp:RelayNetworks:0"] = "127.0.0.2/32",
            ["Suppression:Smtp:MaxSessions"] = "2",
            ["Suppression:Smtp:MaxStrangerSessions"] = "2",
            ["Suppression:Smtp:MaxSessionsPerClient"] = "1",
        });
        var stranger = IPAddress.Parse("127.0.1.1");

        await using var held = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, stranger);
        Assert.StartsWith("220", await held.ReadReplyAsync());
        await using (var relayClient = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, IPAddress.Parse("127.0.0.2")))
        {
            Assert.StartsWith("220", await relayClient.ReadReplyAsync());
            await using var overTotal = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, stranger);
            Assert.StartsWith("421 4.7.0", await overTotal.ReadReplyAsync());
            Assert.Null(await overTotal.ReadReplyAsync());
        }

        var sessions = gateway.Services.GetRequiredService<SmtpConnectionHandler>();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(sessions.OpenSessions == 1), TimeSpan.FromSeconds(10)));
        await using var second = await RawSmtpClient.ConnectFromAsync(gateway.SmtpPort, stranger);
        var greeting = await second.ReadReplyAsync();
        Assert.StartsWith("421 4.7.0", greeting);
        Assert.Contains("from your address", greeting, StringComparison.Ordinal);
    }
}
