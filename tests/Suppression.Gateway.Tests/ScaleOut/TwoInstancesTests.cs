using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Suppression.Addresses;
using Suppression.Gateway.Tests.Infrastructure;
using Suppression.Redis.Connection;
using Suppression.Unsubscribe;

namespace Suppression.Gateway.Tests.ScaleOut;

/// <summary>
/// Two gateway processes' worth of hosts sharing one store, as a scaled-out deployment runs: what
/// one instance is told, the other enforces on the very next message. Against the real Redis (a
/// cluster in CI) when configured, else the second instance uses the first one's embedded server.
/// </summary>
[Collection(StartUpHeavyTests.Name)]
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private readonly string _tokenKey = "1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(TokenKey.SizeInBytes));
    private readonly string _auditKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly TestSmtpSink _sink = new();
    private readonly List<GatewayInstance> _gateways = [];

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_unsubscribe_through_one_instance_is_enforced_by_the_other_on_the_next_message(string backend)
    {
        var (first, second) = await StartPairAsync(backend);
        var reader = Mail.UniqueAddress("reader");
        var other = Mail.UniqueAddress("other");
        var token = new UnsubscribeTokenCodec(TokenKeyRing.Parse([_tokenKey])).Encode(new UnsubscribeToken(AddressNormalizer.Normalize(reader), null, null, DateTimeOffset.UtcNow));

        using (var click = await first.Http.PostAsync($"/u/{token}", new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" })))
        {
            Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        }

        var message = Mail.Create("news@sender.test", [reader, other]);
        await Mail.SendAsync(second.SmtpPort, message);

        var received = Assert.Single(_sink.Messages, copy => copy.Text.Contains(message.MessageId!, StringComparison.Ordinal));
        Assert.Equal([other], received.Recipients);

        // The second instance's blocked delivery is in the same trail as the first one's unsubscribe.
        var history = await Unsubscribe.AuditTrail.ForAsync(first, reader);
        var blocked = await Unsubscribe.AuditTrail.ForAsync(first, reader, blocked: true);
        Assert.Equal(("suppressed", "one-click"), (Assert.Single(history).GetProperty("type").GetString(), history[0].GetProperty("source").GetString()));
        Assert.Equal(message.MessageId, Assert.Single(blocked).GetProperty("messageId").GetString());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public async Task An_api_removal_through_one_instance_lets_the_other_deliver_again(string backend)
    {
        var (first, second) = await StartPairAsync(backend);
        var address = Mail.UniqueAddress("returning");
        using (var added = await second.Http.PostAsJsonAsync("/api/v1/suppressions", new { address, reason = "unsubscribe" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var blockedMessage = Mail.Create("news@sender.test", [address]);
        await Mail.SendAsync(first.SmtpPort, blockedMessage);
        using (var removed = await first.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/suppressions/{Uri.EscapeDataString(address)}")
        {
            Content = JsonContent.Create(new { evidence = "signed up again on the web form" }),
        }))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        var deliveredMessage = Mail.Create("news@sender.test", [address]);
        await Mail.SendAsync(second.SmtpPort, deliveredMessage);

        Assert.DoesNotContain(_sink.Messages, copy => copy.Text.Contains(blockedMessage.MessageId!, StringComparison.Ordinal));
        Assert.Equal([address], Assert.Single(_sink.Messages, copy => copy.Text.Contains(deliveredMessage.MessageId!, StringComparison.Ordinal)).Recipients);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The second instance first: it may be using the first one's embedded server.
        for (var i = _gateways.Count - 1; i >= 0; i--)
        {
            await _gateways[i].DisposeAsync();
        }

        await _sink.DisposeAsync();
    }

    private async Task<(GatewayInstance First, GatewayInstance Second)> StartPairAsync(string backend)
    {
        var prefix = "pair-" + Guid.NewGuid().ToString("N")[..8] + ":";
        var first = await StartAsync(GatewayInstance.RedisFor(backend), prefix);
        var shared = GatewayInstance.RedisFor(backend)
            ?? ((SuppressionStorage)first.Services.GetService(typeof(SuppressionStorage))!).Embedded!.ConfigurationString;
        var second = await StartAsync(shared, prefix);
        return (first, second);
    }

    private async Task<GatewayInstance> StartAsync(string? redis, string prefix)
    {
        var gateway = await GatewayInstance.StartAsync(redis, _sink.Port, new Dictionary<string, string>
        {
            ["Suppression:RedisKeyPrefix"] = prefix,
            ["Suppression:Tokens:Keys:0"] = _tokenKey,
            ["Suppression:Audit:Key"] = _auditKey,
            ["Suppression:Unsubscribe:RequestsPerMinute"] = "100000",
        });
        _gateways.Add(gateway);
        await gateway.WarmUpAsync();
        return gateway;
    }
}
